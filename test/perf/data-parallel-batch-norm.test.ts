// Data-parallel training of a model with BatchNormalization (engine/train/parallel/stat-exchange.ts,
// engine/kernels/batch-stat-sync.ts): the two threads exchange their batch statistics, so two threads
// train what one thread trains on whole batches (losses, weights, moving mean and variance, to float
// rounding); a replica that fails in the middle of a step does not leave the trainer waiting; a
// BatchNormalization the fused path cannot take keeps the model on one thread.
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { trainLoop, type TrainLoopOptions } from '../../engine/train/loop.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import type { ExchangeFault } from '../../engine/train/parallel/stat-exchange.ts';
import { fusedBatchNormCalls } from '../../engine/kernels/fused-batch-norm.ts';
import { dag } from '../engine/graph-helpers.ts';
import { splitSteps, startSplit } from './split-steps.ts';

const SHAPE = [6, 6, 3];

/** Conv–BN–ReLU, then Conv–BN added back to it (the skip), then GAP and a softmax head; `channels`
 *  per convolution, `extra` nodes before the pooling. */
function residual(channels: number, extra: [string, string, Record<string, unknown>][] = []): Graph {
  const bn = { momentum: 0.5, epsilon: 0.001 };
  const nodes: [string, string, Record<string, unknown>][] = [
    ['in', 'Input', { shape: SHAPE }],
    ['c1', 'Conv2D', { filters: channels, kernelSize: 3, padding: 'same', useBias: false }],
    ['bn1', 'BatchNormalization', bn],
    ['r1', 'Activation', { activation: 'relu' }],
    ['c2', 'Conv2D', { filters: channels, kernelSize: 3, padding: 'same', useBias: false }],
    ['bn2', 'BatchNormalization', bn],
    ['add', 'Add', {}],
    ...extra,
    ['gap', 'GlobalAveragePooling2D', {}],
    ['head', 'Dense', { units: 3, activation: 'softmax' }],
    ['out', 'Output', { loss: 'categoricalCrossentropy' }],
  ];
  const chain = ['add', ...extra.map(([id]) => id), 'gap', 'head', 'out'];
  const edges: [string, string, number?][] = [
    ['in', 'c1'],
    ['c1', 'bn1'],
    ['bn1', 'r1'],
    ['r1', 'c2'],
    ['c2', 'bn2'],
    ['bn2', 'add', 0],
    ['r1', 'add', 1],
    ...chain.slice(1).map((id, i): [string, string] => [chain[i], id]),
  ];
  return dag(nodes, edges);
}

// 75 rows, batch 32: two full batches (16 / 16) and a last one of 11 (6 / 5: unequal shares).
// Inputs far from zero mean with per-channel scales, so the batch statistics matter.
function data(n = 75) {
  const per = SHAPE.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * per).map(
    (_, i) => 2 + (1 + (i % 3)) * Math.sin(i * 0.731) + Math.cos(i * 0.113),
  );
  const y = new Float32Array(n * 3).map((_, i) =>
    i % 3 === Math.floor(i / 3 + Math.floor(i / 7)) % 3 ? 1 : 0,
  );
  return { x: [{ data: x, shape: [n, ...SHAPE] }], y: { data: y, shape: [n, 3] } };
}

async function train(graph: Graph, dataParallel: boolean, extra: Partial<TrainLoopOptions> = {}) {
  const { tf } = await selectBackend('wasm');
  const { model } = withRandom(mulberry32(7), () => compileGraph(tf, graph));
  const result = await trainLoop({
    tf,
    model,
    loss: 'categoricalCrossentropy',
    train: data(),
    optimizer: { type: 'adam', learningRate: 0.01 },
    epochs: 3,
    batchSize: 32,
    seed: 5,
    dataParallel,
    ...extra,
  });
  // Every weight, the moving mean and variance included.
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const names = model.weights.map((w) => w.name);
  model.dispose();
  return { result, weights, names };
}

/** A two-thread trainer of residual(8) with a fault injected into one side's exchanges. */
async function faultyRun(faults: { replicaFault?: ExchangeFault; trainerFault?: ExchangeFault }) {
  const { tf } = await selectBackend('wasm');
  const optimizer = tf.train.adam(0.01);
  const { model, dp } = await startSplit(tf, residual(8), data(), optimizer, {
    secondHalf: 'replica',
    stepTimeoutMs: 60_000,
    ...faults,
  });
  const rows = Int32Array.from({ length: 32 }, (_, i) => i);
  return {
    step: () => dp.step(rows, mulberry32(1)),
    async dispose() {
      await dp.dispose();
      model.dispose();
      optimizer.dispose();
    },
  };
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((w, i) =>
    w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j]) / Math.max(1, Math.abs(v))))),
  );
  return worst;
}

describe('data-parallel training with BatchNormalization (synchronised batch statistics)', () => {
  // Plain SGD: Adam divides each gradient by its own running magnitude, which turns the float
  // rounding of near-zero gradients (a convolution feeding BatchNormalization has many) into
  // visible weight differences; SGD shows what the threads compute.
  it('2 threads train the same weights and moving statistics as 1 thread, with the same losses', async () => {
    const { tf } = await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const sgd = { optimizer: { type: 'sgd' as const, learningRate: 0.05 } };
    const one = await train(residual(8), false, sgd);
    const calls = fusedBatchNormCalls();
    const two = await train(residual(8), true, sgd);
    expect(fusedBatchNormCalls()).toBeGreaterThan(calls); // the fused (exchanging) path ran
    expect(one.result.threads).toBe(1);
    expect(two.result.threads).toBe(2);
    expect(two.result.status).toBe('complete');
    expect(two.names.filter((n) => /moving/.test(n)).length).toBe(4);
    // The moving statistics moved (momentum 0.5 over 9 steps), so comparing them means something.
    const moved = one.weights.filter((_, i) => /moving_variance/.test(one.names[i]));
    expect(moved.every((w) => w.some((v) => Math.abs(v - 1) > 0.05))).toBe(true);
    expect(maxDiff(one.weights, two.weights)).toBeLessThan(1e-5);
    two.result.history.forEach((e, i) => expect(e.loss).toBeCloseTo(one.result.history[i].loss, 4));
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('gives the same numbers when this thread trains the whole batch instead (the fallback)', async () => {
    const { tf } = await selectBackend('wasm');
    const run = (secondHalf: 'replica' | 'trainer') => {
      const rng = mulberry32(11);
      // plain SGD, as above
      return splitSteps(tf, residual(8), data(), tf.train.sgd(0.05), 4, () => rng, { secondHalf });
    };
    const split = await run('replica');
    const whole = await run('trainer');
    expect(split.alone).toBe(0);
    expect(whole.alone).toBe(4);
    whole.losses.forEach((l, i) => expect(l).toBeCloseTo(split.losses[i], 4));
    expect(maxDiff(whole.weights, split.weights)).toBeLessThan(1e-5);
  }, 120_000);

  it('is deterministic for a seed with dropout (every step splits)', async () => {
    const graph = residual(8, [['drop', 'Dropout', { rate: 0.3 }]]);
    const a = await train(graph, true, { epochs: 2 });
    const b = await train(graph, true, { epochs: 2 });
    expect(a.result.threads).toBe(2);
    expect(maxDiff(a.weights, b.weights)).toBe(0);
  }, 120_000);

  // A hang would end in the timeout's sentence, not these.
  const failing: [string, ExchangeFault, RegExp][] = [
    ['fails', { at: 2, how: 'throw' }, /^the replica worker failed: a test stopped this thread$/],
    ['ends its thread', { at: 2, how: 'exit' }, /^the replica worker failed: its thread ended$/],
  ];
  for (const [what, fault, sentence] of failing) {
    it(`a replica that ${what} in the middle of a step fails the step with one sentence, without waiting`, async () => {
      // The second of its 4 exchanges (2 layers, forward and backward): mid-forward.
      const run = await faultyRun({ replicaFault: fault });
      expect(() => run.step()).toThrow(sentence);
      await run.dispose();
    }, 120_000);
  }

  it('a trainer that fails in the middle of a step releases the replica, which says so at the next step', async () => {
    const run = await faultyRun({ trainerFault: { at: 3, how: 'throw' } }); // mid-backward: the replica waits at its third exchange
    expect(() => run.step()).toThrow(/^a test stopped this thread$/);
    // Without the release the replica would still be waiting, and this step would pair with it.
    expect(() => run.step()).toThrow(/^the replica worker failed: the training thread gave up the step$/);
    await run.dispose();
  }, 120_000);

  it('keeps one thread, and says why, when a BatchNormalization cannot share its statistics (6 channels)', async () => {
    const { result } = await train(residual(6), true, { epochs: 1 });
    expect(result.threads).toBe(1);
    expect(result.threadsReason).toMatch(
      /^bn1 needs whole batches \(its batch statistics cannot be shared between threads\)$/,
    );
  }, 120_000);
});
