// Frozen nodes (trainable: false): their weights leave training bit-for-bit as they came in, a frozen
// BatchNormalization normalises with its moving statistics in training too, and inspect counts the
// frozen parameters apart.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileForTraining } from '../../engine/train/trainable-model.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { gaussian, mulberry32 } from '../../engine/random.ts';

await tf.setBackend('cpu');

function graph(frozen: string[]): Graph {
  const node = (id: string, type: string, params: Record<string, unknown>) => ({
    id,
    type,
    params,
    ...(frozen.includes(id) ? { trainable: false } : {}),
  });
  const nodes = [
    node('x', 'Input', { shape: [6] }),
    node('d1', 'Dense', { units: 8, activation: 'relu' }),
    node('bn', 'BatchNormalization', { momentum: 0.5 }),
    node('d2', 'Dense', { units: 2, activation: 'softmax' }),
    node('y', 'Output', { loss: 'categoricalCrossentropy' }),
  ];
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
  return { nodes, edges };
}

function data(n: number) {
  const rng = mulberry32(3);
  const x = Float32Array.from({ length: n * 6 }, () => gaussian(rng) * 2 + 1);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) y[i * 2 + (x[i * 6] > 1 ? 1 : 0)] = 1;
  return { x: [{ data: x, shape: [n, 6] }], y: { data: y, shape: [n, 2] } };
}

const weights = (model: tf.LayersModel, layer: string) =>
  new Map(model.getLayer(layer).weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync())]));

async function train(model: tf.LayersModel) {
  return trainLoop({
    tf,
    model,
    loss: 'categoricalCrossentropy',
    train: data(64),
    optimizer: { type: 'adam', learningRate: 0.05 },
    epochs: 3,
    batchSize: 16,
    seed: 1,
    dataParallel: false,
  });
}

describe('freezing nodes', () => {
  it('leaves frozen weights (BatchNorm statistics included) bit-for-bit unchanged and trains the rest', async () => {
    const { model } = compileForTraining(tf, graph(['d1', 'bn']), 5);
    const before = { d1: weights(model, 'd1'), bn: weights(model, 'bn'), d2: weights(model, 'd2') };
    expect(model.trainableWeights.map((w) => w.originalName)).toEqual(['d2/kernel', 'd2/bias']);
    const r = await train(model);
    expect(r.status).toBe('complete');
    for (const layer of ['d1', 'bn'] as const)
      for (const [name, w] of weights(model, layer)) expect(w, name).toEqual(before[layer].get(name));
    const d2 = weights(model, 'd2').get('d2/kernel')!;
    expect(d2).not.toEqual(before.d2.get('d2/kernel'));
    model.dispose();
  });

  it('without freezing the same training changes every layer (the test above can fail)', async () => {
    const { model } = compileForTraining(tf, graph([]), 5);
    const before = weights(model, 'd1').get('d1/kernel');
    const movingMean = weights(model, 'bn').get('bn/moving_mean');
    await train(model);
    expect(weights(model, 'd1').get('d1/kernel')).not.toEqual(before);
    expect(weights(model, 'bn').get('bn/moving_mean')).not.toEqual(movingMean);
    model.dispose();
  });

  it('a frozen BatchNormalization computes in inference mode while training', () => {
    const x = tf.tensor(data(16).x[0].data, [16, 6]);
    const out = (frozen: string[], training: boolean) => {
      const { model } = compileForTraining(tf, graph(frozen), 5);
      const y = model.apply(x, { training }) as tf.Tensor;
      const values = Array.from(y.dataSync());
      model.dispose();
      return values;
    };
    expect(out(['bn'], true)).toEqual(out(['bn'], false));
    // Unfrozen, training mode uses the batch statistics: a different function of x.
    expect(out([], true)).not.toEqual(out([], false));
    x.dispose();
  });

  it('inspect counts trainable and frozen parameters', () => {
    const r = inspectGraph(graph(['d1', 'bn']));
    expect(r.totalParams).toBe(6 * 8 + 8 + 4 * 8 + 8 * 2 + 2);
    expect(r.frozenParams).toBe(6 * 8 + 8 + 4 * 8);
    expect(r.nodes.find((n) => n.id === 'd1')?.frozen).toBe(true);
    expect(r.nodes.find((n) => n.id === 'd2')?.frozen).toBeUndefined();
  });
});
