import { describe, expect, it } from 'vitest';
import { trainLoop } from '../../engine/train/loop.ts';
import type { OptimizerType } from '../../engine/train/optimizers.ts';
import { backend, irisModel, irisSplits, weightsOf } from './helpers.ts';

describe('training loop on iris (real data, real tfjs)', () => {
  const optimizers: [OptimizerType, number][] = [
    ['sgd', 0.1],
    ['momentum', 0.05],
    ['adam', 0.01],
    ['rmsprop', 0.01],
    ['adagrad', 0.1],
  ];
  it.each(optimizers)('%s reduces the loss and learns', async (type, learningRate) => {
    const tf = await backend();
    const { train } = await irisSplits();
    const model = await irisModel(tf);
    const r = await trainLoop({
      tf,
      model,
      loss: 'categoricalCrossentropy',
      train,
      optimizer: { type, learningRate },
      epochs: 15,
      batchSize: 16,
      seed: 1,
    });
    expect(r.status).toBe('complete');
    expect(r.history).toHaveLength(15);
    expect(r.history[14].loss).toBeLessThan(r.history[0].loss * 0.7);
    expect(r.history[14].metrics.accuracy).toBeGreaterThan(0.8);
    model.dispose();
  });

  it('early stopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const tf = await backend();
    const { train, validation } = await irisSplits();
    const model = await irisModel(tf);
    const snapshots = new Map<number, number[][]>();
    // A minDelta no epoch can beat: epoch 1 stays the best, so training stops at epoch 1 + patience.
    const r = await trainLoop({
      tf,
      model,
      loss: 'categoricalCrossentropy',
      train,
      validation,
      optimizer: { type: 'adam', learningRate: 0.01 },
      epochs: 50,
      batchSize: 16,
      seed: 1,
      earlyStopping: { monitor: 'val_loss', patience: 3, minDelta: 100, restoreBestWeights: true },
      onBestWeights: (epoch) => void snapshots.set(epoch, weightsOf(model)),
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history).toHaveLength(4);
    expect(r.bestEpoch).toBe(1);
    expect(r.restoredBestWeights).toBe(true);
    expect(weightsOf(model)).toEqual(snapshots.get(1));
    model.dispose();
  });

  it('cancel mid-epoch stops, reports cancelled and keeps the best weights so far', async () => {
    const tf = await backend();
    const { train, validation } = await irisSplits();
    const model = await irisModel(tf);
    const controller = new AbortController();
    let best: number[][] = [];
    const r = await trainLoop({
      tf,
      model,
      loss: 'categoricalCrossentropy',
      train,
      validation,
      optimizer: { type: 'adam', learningRate: 0.01 },
      epochs: 100,
      batchSize: 8,
      seed: 1,
      signal: controller.signal,
      batchEventIntervalMs: 0,
      onBestWeights: () => void (best = weightsOf(model)),
      onProgress: (p) => {
        if (p.phase === 'batch' && p.epoch === 6 && p.batch === 3) controller.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect(r.history).toHaveLength(5);
    expect(r.bestEpoch).not.toBeNull();
    expect(weightsOf(model)).toEqual(best);
    model.dispose();
  });

  it('stops with a clear message when the loss becomes NaN or infinite', async () => {
    const tf = await backend();
    const n = 64;
    const x = new Float32Array(n * 2).map((_, i) => 100 + (i % 17) * 50);
    const y = new Float32Array(n).map((_, i) => 1000 * (i % 5));
    const graph = {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [2] } },
        { id: 'd', type: 'Dense', params: { units: 1 } },
        { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
      ],
      edges: [
        { id: 'a', source: 'in', target: 'd' },
        { id: 'b', source: 'd', target: 'out' },
      ],
    };
    const model = await irisModel(tf, 1, graph);
    const r = await trainLoop({
      tf,
      model,
      loss: 'meanSquaredError',
      train: { x: [{ data: x, shape: [n, 2] }], y: { data: y, shape: [n, 1] } },
      optimizer: { type: 'sgd', learningRate: 10 },
      epochs: 20,
      batchSize: 8,
      seed: 1,
    });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(
      /^Training stopped at epoch 1, batch \d+: the loss became (NaN|infinite)\. Lower the learning rate \(it is 10\)/,
    );
    model.dispose();
  });

  it('is deterministic: the same seed gives identical weights and history, another seed does not', async () => {
    const tf = await backend();
    const { train, validation } = await irisSplits();
    const graph = (await import('../../engine/examples.ts')).loadExample('iris-mlp').then((p) => {
      // Dropout makes the run depend on the seeded dropout masks too.
      p.graph.nodes.splice(2, 0, { id: 'drop', type: 'Dropout', params: { rate: 0.3 } });
      p.graph.edges = [
        { id: 'e1', source: 'in', target: 'd1' },
        { id: 'e2', source: 'd1', target: 'drop' },
        { id: 'e3', source: 'drop', target: 'd2' },
        { id: 'e4', source: 'd2', target: 'out' },
      ];
      return p.graph;
    });
    const run = async (seed: number) => {
      const model = await irisModel(tf, seed, await graph);
      const r = await trainLoop({
        tf,
        model,
        loss: 'categoricalCrossentropy',
        train,
        validation,
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 5,
        batchSize: 16,
        seed,
      });
      const w = weightsOf(model);
      model.dispose();
      return { w, losses: r.history.map((h) => [h.loss, h.valLoss]) };
    };
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(b.w).toEqual(a.w);
    expect(b.losses).toEqual(a.losses);
    expect(c.w).not.toEqual(a.w);
  });

  it('a step schedule multiplies the learning rate by its factor every N epochs', async () => {
    const tf = await backend();
    const { train } = await irisSplits();
    const model = await irisModel(tf);
    const r = await trainLoop({
      tf,
      model,
      loss: 'categoricalCrossentropy',
      train,
      optimizer: { type: 'sgd', learningRate: 0.1 },
      epochs: 5,
      batchSize: 32,
      seed: 1,
      lrSchedule: { type: 'step', every: 2, factor: 0.5 },
    });
    expect(r.history.map((h) => h.learningRate)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    model.dispose();
  });

  it('throttles batch progress events and reports samples/s and ETA', async () => {
    const tf = await backend();
    const { train } = await irisSplits();
    const model = await irisModel(tf);
    const events: { phase: string; etaSec?: number; samplesPerSec: number }[] = [];
    await trainLoop({
      tf,
      model,
      loss: 'categoricalCrossentropy',
      train,
      optimizer: { type: 'adam' },
      epochs: 3,
      batchSize: 4,
      seed: 1,
      batchEventIntervalMs: 60_000,
      onProgress: (p) => void events.push(p),
    });
    // One batch event at most per minute (the first), plus one event per epoch.
    expect(events.filter((e) => e.phase === 'batch')).toHaveLength(1);
    expect(events.filter((e) => e.phase === 'epoch')).toHaveLength(3);
    expect(events.every((e) => e.samplesPerSec > 0)).toBe(true);
    // The first batch's event comes before any rate is measured: no guessed ETA.
    expect(events[0]).toMatchObject({ phase: 'batch' });
    expect(events[0].etaSec).toBeUndefined();
    expect(
      events.filter((e) => e.phase === 'epoch').every((e) => e.etaSec === undefined || e.etaSec >= 0),
    ).toBe(true);
    expect(events.at(-1)!.etaSec).toBe(0);
    model.dispose();
  });
});
