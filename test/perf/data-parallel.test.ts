// Data-parallel training on wasm (engine/train/parallel/): splitting each batch across 2 threads
// trains the same weights as one thread (float tolerance), is deterministic for a seed, cancels,
// and leaks no tensors; the plan keeps one thread where splitting would change the numbers
// (BatchNormalization: data-parallel-batch-norm.test.ts).
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { splitSteps, startSplit } from './split-steps.ts';
import { trainLoop, type TrainLoopOptions } from '../../engine/train/loop.ts';
import { labelWithThreads, planDataParallel } from '../../engine/train/parallel/plan.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import {
  ModeChooser,
  type DataParallelOptions,
  type Spin,
} from '../../engine/train/parallel/data-parallel.ts';

type N = [string, string, Record<string, unknown>];
const chain = (nodes: N[]): Graph =>
  ({
    nodes: nodes.map(([id, type, params]) => ({ id, type, params })),
    edges: nodes.slice(1).map(([id], i) => ({ id: `e${i}`, source: nodes[i][0], target: id })),
  }) as Graph;
const head: N[] = [
  ['head', 'Dense', { units: 3, activation: 'softmax' }],
  ['out', 'Output', { loss: 'categoricalCrossentropy' }],
];
const MODELS: Record<string, { shape: number[]; graph: Graph }> = {
  mlp: {
    shape: [6],
    graph: chain([
      ['in', 'Input', { shape: [6] }],
      ['h', 'Dense', { units: 8, activation: 'relu' }],
      ...head,
    ]),
  },
  cnn: {
    shape: [8, 8, 1],
    graph: chain([
      ['in', 'Input', { shape: [8, 8, 1] }],
      ['c', 'Conv2D', { filters: 4, kernelSize: 3, activation: 'relu' }],
      ['p', 'MaxPooling2D', { poolSize: 2 }],
      ['f', 'Flatten', {}],
      ...head,
    ]),
  },
  lstm: {
    shape: [5, 3],
    graph: chain([['in', 'Input', { shape: [5, 3] }], ['l', 'LSTM', { units: 4 }], ...head]),
  },
};

// 80 rows, batch 32: two full batches and a last one of 16 (split 8 / 8).
function data(shape: number[], n = 80) {
  const per = shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * per).map((_, i) => Math.sin(i * 0.731) + Math.cos(i * 0.113));
  const y = new Float32Array(n * 3).map((_, i) =>
    i % 3 === Math.floor(i / 3 + Math.floor(i / 7)) % 3 ? 1 : 0,
  );
  return { x: [{ data: x, shape: [n, ...shape] }], y: { data: y, shape: [n, 3] } };
}

async function train(id: string, dataParallel: boolean, extra: Partial<TrainLoopOptions> = {}) {
  const { tf } = await selectBackend('wasm');
  const m = MODELS[id];
  const { model } = withRandom(mulberry32(7), () => compileGraph(tf, m.graph));
  const result = await trainLoop({
    tf,
    model,
    loss: 'categoricalCrossentropy',
    train: data(m.shape),
    optimizer: { type: 'adam', learningRate: 0.01 },
    epochs: 2,
    batchSize: 32,
    seed: 5,
    dataParallel,
    ...extra,
  });
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return { result, weights };
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst;
}

describe('data-parallel training on wasm', () => {
  for (const id of Object.keys(MODELS)) {
    it(`${id}: 2 threads train the same weights as 1 thread (within 1e-4)`, async () => {
      const { tf } = await selectBackend('wasm');
      const before = tf.memory().numTensors;
      const one = await train(id, false);
      const two = await train(id, true);
      expect(one.result.threads).toBe(1);
      expect(two.result.threads).toBe(2);
      expect(two.result.status).toBe('complete');
      expect(maxDiff(one.weights, two.weights)).toBeLessThan(1e-4);
      // The loss history is the whole batch's, not one half's.
      two.result.history.forEach((e, i) => expect(e.loss).toBeCloseTo(one.result.history[i].loss, 4));
      expect(tf.memory().numTensors).toBe(before);
    }, 60_000);
  }

  // The optimizer update runs on the host (parallel/host-optimizer.ts) for sgd, momentum and adam,
  // through tfjs for the others: every one trains the weights a single thread trains.
  for (const type of ['sgd', 'momentum', 'rmsprop', 'adagrad'] as const) {
    it(`cnn with ${type}: 2 threads train the same weights as 1 thread (within 1e-4)`, async () => {
      const optimizer = { type, learningRate: 0.01 };
      const one = await train('cnn', false, { optimizer });
      const two = await train('cnn', true, { optimizer });
      expect(two.result.threads).toBe(2);
      expect(maxDiff(one.weights, two.weights)).toBeLessThan(1e-4);
    }, 60_000);
  }

  it('is deterministic for a seed (with dropout, whose masks come from a seeded stream per half)', async () => {
    const withDropout = chain([
      ['in', 'Input', { shape: [6] }],
      ['h', 'Dense', { units: 8, activation: 'relu' }],
      ['d', 'Dropout', { rate: 0.3 }],
      ...head,
    ]);
    MODELS.dropout = { shape: [6], graph: withDropout };
    const a = await train('dropout', true);
    const b = await train('dropout', true);
    delete MODELS.dropout;
    expect(a.result.threads).toBe(2);
    expect(maxDiff(a.weights, b.weights)).toBe(0);
  }, 60_000);

  it('gives the same numbers whichever thread computes the second half (dropout included), spinning or not', async () => {
    const { tf } = await selectBackend('wasm');
    const graph = chain([
      ['in', 'Input', { shape: [8, 8, 1] }],
      ['c', 'Conv2D', { filters: 4, kernelSize: 3, activation: 'relu' }],
      ['d', 'Dropout', { rate: 0.3 }],
      ['f', 'Flatten', {}],
      ...head,
    ]);
    const run = (secondHalf: 'replica' | 'trainer', spin?: Spin) => {
      const rng = mulberry32(11);
      return splitSteps(tf, graph, data([8, 8, 1]), tf.train.adam(0.01), 5, () => rng, { secondHalf, spin });
    };
    const byReplica = await run('replica');
    const byTrainer = await run('trainer');
    const spinning = await run('replica', { handOffMs: 2, exchangeMs: 0.5 });
    expect(spinning.losses).toEqual(byReplica.losses);
    expect(byReplica.alone).toBe(0);
    expect(byTrainer.alone).toBe(5);
    expect(byTrainer.losses).toEqual(byReplica.losses);
    expect(maxDiff(byTrainer.weights, byReplica.weights)).toBe(0);
  }, 60_000);

  it('trains the whole batch on this thread when that is quicker, the numbers of a split step to float rounding (no dropout)', async () => {
    const { tf } = await selectBackend('wasm');
    const run = (secondHalf: 'replica' | 'trainer') =>
      splitSteps(
        tf,
        MODELS.lstm.graph,
        data(MODELS.lstm.shape),
        tf.train.adam(0.01),
        5,
        (s) => mulberry32(s),
        {
          secondHalf,
        },
      );
    const byReplica = await run('replica');
    const byTrainer = await run('trainer');
    expect(byReplica.alone).toBe(0);
    expect(byTrainer.alone).toBe(5);
    byTrainer.losses.forEach((l, i) => expect(l).toBeCloseTo(byReplica.losses[i], 5));
    expect(maxDiff(byTrainer.weights, byReplica.weights)).toBeLessThan(1e-5);
  }, 60_000);

  // A hang would end in the timeout's sentence, not these.
  for (const [what, how, sentence] of [
    ['fails', 'throw', /^the replica worker failed: a test stopped this thread$/],
    ['ends its thread', 'exit', /^the replica worker failed: its thread ended$/],
  ] as const) {
    it(`lstm: a replica that ${what} at a step fails that step with one sentence, without waiting`, async () => {
      const { tf } = await selectBackend('wasm');
      const optimizer = tf.train.adam(0.01);
      const { model, dp } = await startSplit(tf, MODELS.lstm.graph, data(MODELS.lstm.shape), optimizer, {
        secondHalf: 'replica',
        stepTimeoutMs: 60_000,
        replicaFault: { at: 2, how },
      });
      const rows = Int32Array.from({ length: 32 }, (_, i) => i);
      expect(dp.step(rows, mulberry32(1))[0]).toBeGreaterThan(0);
      expect(() => dp.step(rows, mulberry32(1))).toThrow(sentence);
      await dp.dispose();
      model.dispose();
      optimizer.dispose();
    }, 120_000);
  }

  it('a run after a finished one reuses its replica worker with the same numbers; a failed run ends its worker', async () => {
    const { tf } = await selectBackend('wasm');
    const rows = Int32Array.from({ length: 32 }, (_, i) => i);
    const run = async (id: string, options: Partial<DataParallelOptions>, steps: number) => {
      const optimizer = tf.train.adam(0.01);
      const { model, dp } = await startSplit(tf, MODELS[id].graph, data(MODELS[id].shape), optimizer, {
        stepTimeoutMs: 60_000,
        ...options,
      });
      const losses: number[] = [];
      let error = '';
      try {
        for (let s = 0; s < steps; s++) losses.push(dp.step(rows, mulberry32(s))[0]);
      } catch (err) {
        error = (err as Error).message;
      }
      const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
      await dp.dispose();
      model.dispose();
      optimizer.dispose();
      return { thread: dp.replicaThreadId, losses, weights, error };
    };
    const first = await run('cnn', { secondHalf: 'replica' }, 3);
    // Another model on the same worker, against this thread computing the second half itself.
    const again = await run('lstm', { secondHalf: 'replica' }, 4);
    const here = await run('lstm', { secondHalf: 'trainer' }, 4);
    expect(again.thread).toBe(first.thread);
    expect(again.error).toBe('');
    again.losses.forEach((l, i) => expect(l).toBeCloseTo(here.losses[i], 5));
    expect(maxDiff(again.weights, here.weights)).toBeLessThan(1e-5);
    const failed = await run('lstm', { secondHalf: 'replica', replicaFault: { at: 2, how: 'throw' } }, 3);
    // A run whose second halves this thread computed itself left its worker idle and clean: kept too.
    expect([here.thread, failed.thread]).toEqual([first.thread, first.thread]);
    expect(failed.error).toMatch(/^the replica worker failed: a test stopped this thread$/);
    const after = await run('lstm', { secondHalf: 'replica' }, 4);
    expect(after.thread).not.toBe(failed.thread);
    expect(after.losses).toEqual(again.losses);
  }, 120_000);

  it('cancels after the current batch and releases the worker', async () => {
    const controller = new AbortController();
    const { result } = await train('mlp', true, {
      epochs: 50,
      signal: controller.signal,
      batchEventIntervalMs: 0,
      onProgress: () => controller.abort(),
    });
    expect(result.status).toBe('cancelled');
    expect(result.history.length).toBeLessThan(50);
  }, 60_000);
  it('a new replica splits its first 256 steps whatever the clock; a warm one its first 64', async () => {
    const { tf } = await selectBackend('wasm');
    // How many steps of a run this thread had taken alone after each step.
    const run = async (steps: number, options: Partial<DataParallelOptions> = {}) => {
      const optimizer = tf.train.adam(0.01);
      const { model, dp } = await startSplit(tf, MODELS.mlp.graph, data(MODELS.mlp.shape), optimizer, {
        stepTimeoutMs: 60_000,
        ...options,
      });
      const aloneAfter: number[] = [];
      try {
        for (let s = 0; s < steps; s++) {
          dp.step(
            Int32Array.from({ length: 32 }, (_, i) => (s * 13 + i * 7) % 80),
            mulberry32(s),
          );
          aloneAfter.push(dp.stepsAlone);
        }
      } catch {
        // The failing run below only ends its worker.
      }
      await dp.dispose();
      model.dispose();
      optimizer.dispose();
      return aloneAfter;
    };
    // A failed run ends its worker, so the next run starts a new one.
    await run(3, { secondHalf: 'replica', replicaFault: { at: 1, how: 'throw' } });
    const fresh = await run(100);
    expect(fresh.at(-1)).toBe(0);
    // 156 more split steps, then the first measurement of one thread alone (its first 5 steps).
    const warming = await run(161);
    expect([warming[155], warming[160]]).toEqual([0, 5]);
    const warm = await run(70);
    expect([warm[63], warm[68]]).toEqual([0, 5]);
  }, 120_000);
});

describe('who computes the second half (ModeChooser)', () => {
  // The modes of a run whose i-th step takes cost(mode, i, the modes before it) ms.
  type Cost = (mode: 'split' | 'alone', i: number, before: string[]) => number;
  const runBy = (cost: Cost, steps: number, chooser = new ModeChooser()) => {
    const modes: string[] = [];
    for (let i = 0; i < steps; i++) {
      const mode = chooser.next();
      chooser.record(mode, cost(mode, i, modes));
      modes.push(mode);
    }
    return modes;
  };
  // Steps of a run where one mode takes `ms[mode]`, with every 20th step paused (15 ms, a GC).
  const run = (ms: Record<'split' | 'alone', number>, steps = 200) =>
    runBy((mode, i) => (i % 20 === 19 ? 15 : ms[mode]), steps);
  const share = (modes: string[], mode: string) => modes.filter((m) => m === mode).length / modes.length;
  it('splits on an idle machine (the replica answers quicker than one thread alone)', () => {
    expect(share(run({ split: 2, alone: 3.3 }), 'split')).toBeGreaterThan(0.9);
  });
  it('splits once the replica is warm, though its first steps and those after a pause are slow', () => {
    // The replica's code gets quicker only while it computes (V8 optimises it as it runs): here its
    // k-th split step takes 2 + 4·0.98^k ms, and 5 ms more right after a stretch of alone steps.
    let k = 0;
    const modes = runBy((mode, _, before) => {
      if (mode === 'alone') return 3.3;
      return 2 + 4 * 0.98 ** k++ + (before.at(-1) === 'alone' ? 5 : 0);
    }, 400);
    expect(share(modes.slice(200), 'split')).toBeGreaterThan(0.9);
  });
  it('a new replica splits until it is warm, though its early split steps lose to one thread alone', () => {
    // Its k-th split step takes 2 + 8·0.99^k ms: slower than alone (3.3 ms) until step ~175.
    let k = 0;
    const cost: Cost = (mode) => (mode === 'alone' ? 3.3 : 2 + 8 * 0.99 ** k++);
    const modes = runBy(cost, 600, new ModeChooser(undefined, 0));
    expect(modes.slice(0, 256).every((m) => m === 'split')).toBe(true);
    expect(share(modes.slice(256), 'split')).toBeGreaterThan(0.9);
    // Judged after 64 such steps, the replica went alone and stayed there.
    k = 0;
    expect(share(runBy(cost, 600).slice(256), 'alone')).toBeGreaterThan(0.9);
  });
  it('returns to the split soon after a passing slowdown made it go alone', () => {
    // Split steps 300–319 take 20 ms (another process took a core for a moment).
    const modes = runBy((mode, i) => (mode === 'alone' ? 3.3 : i >= 300 && i < 320 ? 20 : 2), 600);
    expect(modes.slice(300, 330).includes('alone')).toBe(true);
    // (One thread alone is re-measured soon after that change too: 8 steps each after 32, 64, 128.)
    expect(share(modes.slice(330, 500), 'split')).toBeGreaterThan(0.8);
  });
  it('goes alone on a busy machine (the replica waits for a core), still re-measuring now and then', () => {
    // A run's first 64 steps split, whatever the clock says (its replica warming up).
    const modes = run({ split: 11, alone: 6 }, 400);
    expect(modes.slice(0, 64).every((m) => m === 'split')).toBe(true);
    expect(share(modes.slice(64), 'alone')).toBeGreaterThan(0.85);
    expect(modes.slice(200).includes('split')).toBe(true);
  });
});

describe('when batches are split', () => {
  const base = { backendId: 'wasm', batchSize: 64, layerTypes: ['Conv2D', 'Dense'], cores: 2 };
  it('splits convolutional and recurrent models on wasm with 2 cores and batch ≥ 32, and says so in the label', () => {
    expect(planDataParallel(base)).toEqual({ threads: 2, reason: 'each batch is split across 2 threads' });
    expect(planDataParallel({ ...base, layerTypes: ['LSTM', 'Dense'] }).threads).toBe(2);
    expect(planDataParallel({ ...base, layerTypes: ['GRU', 'Dense'] }).threads).toBe(2);
    expect(labelWithThreads('CPU (WebAssembly)', 2)).toBe('CPU (WebAssembly) × 2 threads');
  });
  it('keeps one thread when turned off, on one core, for small batches, native backends, a BatchNormalization that cannot share its statistics, and for Dense stacks', () => {
    expect(planDataParallel({ ...base, enabled: false }).threads).toBe(1);
    expect(planDataParallel({ ...base, cores: 1 }).threads).toBe(1);
    expect(planDataParallel({ ...base, batchSize: 16 }).threads).toBe(1);
    expect(planDataParallel({ ...base, backendId: 'tensorflow' }).threads).toBe(1);
    expect(planDataParallel({ ...base, layerTypes: ['Conv2D', 'BatchNormalization'] }).threads).toBe(2);
    expect(
      planDataParallel({ ...base, layerTypes: ['Conv2D', 'BatchNormalization'], unsharedStats: 'bn' }),
    ).toEqual({
      threads: 1,
      reason: 'bn needs whole batches (its batch statistics cannot be shared between threads)',
    });
    // The MLPs at batch 64 and 256: slower by the clock on two threads (bench/KERNEL-MEASUREMENTS.md).
    expect(planDataParallel({ ...base, layerTypes: ['Dense', 'Dropout'], batchSize: 256 })).toEqual({
      threads: 1,
      reason:
        'without convolutions or recurrent layers, handing half of each batch to a second thread costs more than that thread saves (measured)',
    });
    expect(planDataParallel({ ...base, layerTypes: ['Dense'], enabled: true }).threads).toBe(2);
  });
});
