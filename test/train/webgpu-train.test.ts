// Training on WebGPU end to end, on a real Dawn adapter (SwiftShader here and in CI): the CLI's
// iris run matches WebAssembly's on the same seed; a job in the engine's worker thread (where the
// hosts train) runs on webgpu and stops within a second of Stop, keeping the best weights; a loss
// that blows up, or a batch the GPU cannot hold, stops the run with one sentence; tensors do not
// pile up across epochs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/api.ts';
import { selectBackend } from '../../engine/backend.ts';
import { takeDeviceError } from '../../engine/backends/webgpu-errors.ts';
import { loadExample } from '../../engine/examples.ts';
import { startTrainingJob } from '../../engine/train/jobs.ts';
import { trainLoop, type LoopSplit } from '../../engine/train/loop.ts';
import { ROOT } from '../cli/run-cli.ts';
import { chainGraph } from '../engine/graph-helpers.ts';
import { useSwiftShader } from '../support/swiftshader.ts';
import { irisModel, irisSplits } from './helpers.ts';

const env = useSwiftShader();
const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'nw-webgpu-'));
  dirs.push(d);
  return d;
};
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function train(backend: string, out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['bin/netwright.mjs', 'train', 'resources/examples/iris-mlp.netwright.json'];
  args.push('--backend', backend, '--epochs', '3', '--seed', '11', '--json', '--out', out);
  return new Promise((resolve) =>
    execFile(process.execPath, args, { cwd: ROOT, env, timeout: 300_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    ),
  );
}

const readJson = async (dir: string, file: string) =>
  JSON.parse(await readFile(path.join(dir, file), 'utf8'));

/** The first n rows of a split. */
function head(s: LoopSplit, n: number): LoopSplit {
  const take = (t: LoopSplit['y']) => ({
    data: t.data.slice(0, (t.data.length / t.shape[0]) * n),
    shape: [n, ...t.shape.slice(1)],
  });
  return { x: s.x.map(take), y: take(s.y) };
}

async function weightsOf(model: tfjs.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

describe('netwright train --backend webgpu', () => {
  it('trains iris to the same test accuracy and loss curve as WebAssembly on the same seed', async () => {
    const [gpuDir, wasmDir] = [await tempDir(), await tempDir()];
    const [gpu, wasm] = await Promise.all([train('webgpu', gpuDir), train('wasm', wasmDir)]);
    expect(gpu.stderr).toBe('');
    expect(gpu.code).toBe(0);
    expect(wasm.code).toBe(0);
    const report = JSON.parse(gpu.stdout);
    expect(report.backend).toMatchObject({
      id: 'webgpu',
      label: 'Software (WebGPU · Google SwiftShader · Vulkan)',
    });
    expect((await readJson(gpuDir, 'run.json')).backend.id).toBe('webgpu');
    expect((await readJson(wasmDir, 'run.json')).backend.id).toBe('wasm');

    const [gpuHistory, wasmHistory] = [
      await readJson(gpuDir, 'history.json'),
      await readJson(wasmDir, 'history.json'),
    ];
    expect(gpuHistory).toHaveLength(3);
    gpuHistory.forEach((e: { loss: number; valLoss: number }, i: number) => {
      expect(Math.abs(e.loss - wasmHistory[i].loss) / wasmHistory[i].loss).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(e.valLoss - wasmHistory[i].valLoss) / wasmHistory[i].valLoss).toBeLessThanOrEqual(1e-3);
    });
    const [gpuMetrics, wasmMetrics] = [
      await readJson(gpuDir, 'metrics.json'),
      await readJson(wasmDir, 'metrics.json'),
    ];
    expect(gpuMetrics.accuracy).toBe(wasmMetrics.accuracy);
    expect(gpuMetrics.confusionMatrix).toEqual(wasmMetrics.confusionMatrix);
  });
});

describe('a training job on webgpu in the engine worker thread', () => {
  it('stops within a second of Stop and keeps the best weights', async () => {
    const project = await loadExample('iris-mlp');
    const out = path.join(await tempDir(), 'run');
    const events: EngineEvent[] = [];
    let cancelledAt = 0;
    const job = startTrainingJob(
      { project, outDir: out, epochs: 500, batchSize: 32, backend: 'webgpu' },
      (e) => {
        events.push(e);
        const epochs = events.filter(
          (x) => x.kind === 'train-progress' && x.progress.phase === 'epoch',
        ).length;
        if (epochs === 2 && !cancelledAt) {
          cancelledAt = performance.now();
          job.cancel();
        }
      },
    );
    const outcome = await job.done;
    const stopMs = performance.now() - cancelledAt;
    expect(outcome.message).toBeUndefined();
    expect(outcome.status).toBe('cancelled');
    expect(events[0]).toMatchObject({ kind: 'train-started', backend: { id: 'webgpu' } });
    // Stop → the run's last event: the step in flight, the best weights restored, files written.
    expect(stopMs).toBeLessThan(1000);
    const info = await readJson(out, 'run.json');
    expect(info).toMatchObject({
      status: 'cancelled',
      backend: { id: 'webgpu' },
      bestEpoch: expect.any(Number),
    });
    expect(info.backend.reason).not.toMatch(/thread/);
    expect((await readJson(out, 'metrics.json')).task).toBe('classification');
  });
});

describe('the training loop on webgpu', () => {
  it('keeps the tensor count flat across 20 epochs', async () => {
    const { tf } = await selectBackend('webgpu');
    const { train, validation } = await irisSplits();
    const model = await irisModel(tf);
    const counts: number[] = [];
    const r = await trainLoop({
      tf,
      model,
      loss: 'categoricalCrossentropy',
      train: head(train, 16),
      validation: head(validation, 8),
      optimizer: { type: 'adam', learningRate: 0.01 },
      epochs: 20,
      batchSize: 16,
      seed: 2,
      onProgress: (p) => void (p.phase === 'epoch' && counts.push(tf.memory().numTensors)),
    });
    expect(tf.getBackend()).toBe('webgpu');
    expect(r.status).toBe('complete');
    expect(counts).toHaveLength(20);
    // Adam's slots exist from the first step on; after that nothing accumulates.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[19]).toBe(counts[1]);
    model.dispose();
  });

  it('stops with one sentence naming a batch size when a tensor does not fit the GPU', async () => {
    const { tf } = await selectBackend('webgpu');
    // [4096, 80000] floats = 1.31 GB, over SwiftShader's 1 GiB buffer limit: WebGPU reports it as an
    // event and the ops on it do nothing, so only the device's error says what happened.
    const graph = chainGraph(
      [4],
      [
        ['Dense', { units: 80000 }],
        ['Dense', { units: 1 }],
      ],
      'meanSquaredError',
    );
    const model = await irisModel(tf, 7, graph);
    const rows = 4096;
    const r = await trainLoop({
      tf,
      model,
      loss: 'meanSquaredError',
      train: {
        x: [{ data: new Float32Array(rows * 4).fill(0.5), shape: [rows, 4] }],
        y: { data: new Float32Array(rows), shape: [rows, 1] },
      },
      optimizer: { type: 'sgd', learningRate: 0.01 },
      epochs: 1,
      batchSize: rows,
      seed: 2,
      takeDeviceError,
    });
    expect(r.status).toBe('failed');
    expect(r.message).toBe(
      'Training stopped at epoch 1, batch 1: the GPU cannot hold batch size 4096: one tensor needs 1.3 GB and this GPU allows 1.1 GB per buffer. Try batch size 2048 or a smaller model.',
    );
    expect(r.history).toEqual([]);
    model.dispose();
  });

  it('stops with one sentence when the loss becomes NaN and restores the best epoch', async () => {
    const { tf } = await selectBackend('webgpu');
    const { train } = await irisSplits();
    // A linear regression head: its loss is unbounded, so a far too large step makes it overflow.
    const model = await irisModel(tf, 7, chainGraph([4], [['Dense', { units: 3 }]], 'meanSquaredError'));
    let best: number[][] | null = null;
    const r = await trainLoop({
      tf,
      model,
      loss: 'meanSquaredError',
      train: head(train, 16),
      // Diverges within a few epochs: every step overshoots further.
      optimizer: { type: 'sgd', learningRate: 10 },
      epochs: 50,
      batchSize: 8,
      seed: 2,
      onBestWeights: async () => void (best = await weightsOf(model)),
    });
    expect(tf.getBackend()).toBe('webgpu');
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(
      /^Training stopped at epoch \d+, batch \d: the loss became (NaN|infinite)\. Lower the learning rate \(it is 10\)/,
    );
    expect(r.restoredBestWeights).toBe(true);
    expect(await weightsOf(model)).toEqual(best);
    model.dispose();
  });

  it("early stopping, a step learning-rate schedule and best-weight restore give WebAssembly's run", async () => {
    const { train, validation } = await irisSplits();
    const runOn = async (choice: 'webgpu' | 'wasm') => {
      const { tf } = await selectBackend(choice);
      const model = await irisModel(tf);
      const snapshots = new Map<number, number[][]>();
      // A minDelta no epoch can beat: epoch 1 stays the best, so training stops at epoch 1 + patience.
      const r = await trainLoop({
        tf,
        model,
        loss: 'categoricalCrossentropy',
        train: head(train, 48),
        validation: head(validation, 16),
        optimizer: { type: 'sgd', learningRate: 0.1 },
        epochs: 20,
        batchSize: 16,
        seed: 3,
        earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 100, restoreBestWeights: true },
        lrSchedule: { type: 'step', every: 1, factor: 0.5 },
        onBestWeights: async (epoch) => void snapshots.set(epoch, await weightsOf(model)),
      });
      expect(tf.getBackend()).toBe(choice);
      const weights = await weightsOf(model);
      model.dispose();
      return { r, weights, best: snapshots.get(1) };
    };
    const gpu = await runOn('webgpu');
    const wasm = await runOn('wasm');
    expect(gpu.r.status).toBe('complete');
    expect(gpu.r.stoppedEarly).toBe(true);
    expect(gpu.r.history.map((h) => h.learningRate)).toEqual([0.1, 0.05, 0.025]);
    expect(gpu.r.bestEpoch).toBe(1);
    expect(gpu.r.restoredBestWeights).toBe(true);
    expect(gpu.weights).toEqual(gpu.best);
    expect(wasm.r.history).toHaveLength(3);
    gpu.r.history.forEach((e, i) => {
      const w = wasm.r.history[i];
      expect(Math.abs(e.loss - w.loss) / w.loss).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(e.valLoss! - w.valLoss!) / w.valLoss!).toBeLessThanOrEqual(1e-3);
    });
  });

  it('Dropout follows the seed: the same seed repeats a run exactly, another seed does not', async () => {
    const { tf } = await selectBackend('webgpu');
    const { train } = await irisSplits();
    const graph = chainGraph(
      [4],
      [
        ['Dense', { units: 16, activation: 'relu' }],
        ['Dropout', { rate: 0.5 }],
        ['Dense', { units: 3, activation: 'softmax' }],
      ],
    );
    const losses = async (seed: number) => {
      const model = await irisModel(tf, 7, graph);
      const r = await trainLoop({
        tf,
        model,
        loss: 'categoricalCrossentropy',
        train: head(train, 32),
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 3,
        batchSize: 16,
        seed,
      });
      model.dispose();
      expect(r.status).toBe('complete');
      return r.history.map((h) => h.loss);
    };
    const first = await losses(4);
    expect(tf.getBackend()).toBe('webgpu');
    expect(await losses(4)).toEqual(first);
    expect(await losses(5)).not.toEqual(first);
  });
});
