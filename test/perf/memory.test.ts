// No tensor leaks across epochs on the WebAssembly backend (the CNN benchmark workload, smaller),
// and the process stays far below 1 GiB while it trains.
import { expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { WORKLOADS } from '../../bench/workloads.ts';

it('keeps tf.memory().numTensors stable across epochs and RSS under 1 GiB (CNN on wasm)', async () => {
  const { tf, id } = await selectBackend('wasm');
  expect(id).toBe('wasm');
  const cnn = WORKLOADS.find((w) => w.id === 'cnn')!;
  const n = 256;
  const x = new Float32Array(n * 28 * 28).map((_, i) => Math.sin(i * 0.37));
  const y = new Float32Array(n * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
  const before = tf.memory().numTensors;
  const { model } = compileGraph(tf, cnn.graph);
  const counts: number[] = [];
  let peakRss = 0;
  const result = await trainLoop({
    tf,
    model,
    loss: 'categoricalCrossentropy',
    train: { x: [{ data: x, shape: [n, 28, 28, 1] }], y: { data: y, shape: [n, 10] } },
    validation: {
      x: [{ data: x.slice(0, 64 * 784), shape: [64, 28, 28, 1] }],
      y: { data: y.slice(0, 640), shape: [64, 10] },
    },
    optimizer: { type: 'adam', learningRate: 0.001 },
    epochs: 4,
    batchSize: 64,
    seed: 3,
    batchEventIntervalMs: 0,
    onProgress: (p) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (p.phase === 'epoch') counts.push(tf.memory().numTensors);
    },
  });
  expect(result.status).toBe('complete');
  expect(counts).toHaveLength(4);
  // Epoch 1 creates the optimizer's slots and the best-weights copy; after that, nothing may grow.
  expect(new Set(counts.slice(1)).size).toBe(1);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
  expect(peakRss).toBeLessThan(1024 ** 3);
});
