// One-thread training on wasm takes its loss and optimizer step on the host (engine/train/host-step.ts);
// it must train the weights tfjs' own optimizer.minimize path trains, which the pure-JS cpu backend
// runs: same model, data and seed, weights and loss history equal to float tolerance.
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { createOptimizer, type OptimizerConfig } from '../../engine/train/optimizers.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { hostStep } from '../../engine/train/host-step.ts';

const graph = {
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [7] } },
    { id: 'h', type: 'Dense', params: { units: 12, activation: 'relu', kernelRegularizer: { l2: 0.01 } } },
    { id: 'head', type: 'Dense', params: { units: 3, activation: 'softmax' } },
    { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
  ],
  edges: [
    { id: 'e0', source: 'in', target: 'h' },
    { id: 'e1', source: 'h', target: 'head' },
    { id: 'e2', source: 'head', target: 'out' },
  ],
} as Graph;

// 70 rows, batch 32: two full batches and a last one of 6.
function data(n = 70) {
  const x = new Float32Array(n * 7).map((_, i) => Math.sin(i * 0.731) + Math.cos(i * 0.113));
  const y = new Float32Array(n * 3).map((_, i) =>
    i % 3 === Math.floor(i / 3 + Math.floor(i / 5)) % 3 ? 1 : 0,
  );
  return { x: [{ data: x, shape: [n, 7] }], y: { data: y, shape: [n, 3] } };
}

async function train(backend: 'wasm' | 'js', optimizer: OptimizerConfig) {
  const { tf } = await selectBackend(backend);
  const before = tf.memory().numTensors;
  const { model } = withRandom(mulberry32(3), () => compileGraph(tf, graph));
  const probe = createOptimizer(tf, optimizer);
  const onHost = hostStep(tf, model, probe, 'categoricalCrossentropy') !== null;
  probe.dispose();
  const result = await trainLoop({
    tf,
    model,
    loss: 'categoricalCrossentropy',
    train: data(),
    optimizer,
    epochs: 3,
    batchSize: 32,
    seed: 5,
    lrSchedule: { type: 'step', every: 2, factor: 0.5 },
  });
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return { result, weights, onHost, leaked: tf.memory().numTensors - before };
}

describe('one-thread training on wasm with the loss and optimizer on the host', () => {
  for (const type of ['adam', 'momentum', 'sgd', 'rmsprop'] as const) {
    it(`${type}: trains the weights and losses of tfjs' own path (cpu backend)`, async () => {
      const optimizer = { type, learningRate: 0.02 } as OptimizerConfig;
      const want = await train('js', optimizer);
      const got = await train('wasm', optimizer);
      expect(want.onHost).toBe(false);
      // rmsprop has no host twin (parallel/host-optimizer.ts) and stays on tfjs' path.
      expect(got.onHost).toBe(type !== 'rmsprop');
      expect(got.result.status).toBe('complete');
      expect(got.result.threads).toBe(1);
      // No more tensors left behind than tfjs' path leaves (its MomentumOptimizer keeps its momentum
      // scalar after dispose; the others none).
      expect(got.leaked).toBe(want.leaked);
      expect(got.leaked).toBe(type === 'momentum' ? 2 : 0);
      let worst = 0;
      got.weights.forEach((w, i) =>
        w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - want.weights[i][j])))),
      );
      expect(worst).toBeLessThan(1e-4);
      // The step schedule halves the rate after epoch 2: the host reads the optimizer's rate.
      expect(got.result.history.map((e) => e.learningRate)).toEqual(
        want.result.history.map((e) => e.learningRate),
      );
      got.result.history.forEach((e, i) => {
        expect(e.loss).toBeCloseTo(want.result.history[i].loss, 4);
        expect(e.metrics.accuracy).toBeCloseTo(want.result.history[i].metrics.accuracy, 6);
      });
    }, 60_000);
  }
});
