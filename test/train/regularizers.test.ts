// L1/L2 kernel regularisers from the graph reach the training loss (trainLoop adds
// model.calculateLosses()) and shrink the weights: same seed and data with and without one.
import type * as tfjs from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadExample } from '../../engine/examples.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { trainLoop, type TrainLoopResult } from '../../engine/train/loop.ts';
import { backend, irisModel, irisSplits } from './helpers.ts';

type Regularizer = { l1?: number; l2?: number } | null;

async function irisGraph(kernelRegularizer: Regularizer): Promise<Graph> {
  const { graph } = await loadExample('iris-mlp');
  const hidden = graph.nodes.find((n) => n.id === 'd1')!;
  hidden.params = { ...hidden.params, kernelRegularizer };
  return graph;
}

const kernelNorm = (model: tfjs.LayersModel): number =>
  Math.hypot(...model.getLayer('d1').getWeights()[0].dataSync());

async function run(reg: Regularizer): Promise<{ result: TrainLoopResult; before: number; after: number }> {
  const tf = await backend();
  const { train } = await irisSplits();
  const model = await irisModel(tf, 7, await irisGraph(reg));
  const before = kernelNorm(model);
  const result = await trainLoop({
    tf,
    model,
    loss: 'categoricalCrossentropy',
    train,
    optimizer: { type: 'adam', learningRate: 0.01 },
    epochs: 20,
    batchSize: 16,
    seed: 1,
  });
  const after = kernelNorm(model);
  model.dispose();
  return { result, before, after };
}

describe('kernel regularisers', () => {
  it.each<[string, Regularizer]>([
    ['l2', { l2: 1 }],
    ['l1', { l1: 1 }],
  ])('%s: a larger training loss at epoch 1 and a smaller weight norm at the end', async (_, reg) => {
    const plain = await run(null);
    const regularised = await run(reg);
    // Same seed: both start from the same weights, so any difference comes from the penalty.
    expect(regularised.before).toBe(plain.before);
    expect(plain.result.status).toBe('complete');
    expect(regularised.result.status).toBe('complete');
    // The penalty on the initial kernel (Σw² or Σ|w| of a 4×16 kernel) is well above 0.1.
    expect(regularised.result.history[0].loss).toBeGreaterThan(plain.result.history[0].loss + 0.1);
    expect(regularised.after).toBeLessThan(plain.after * 0.8);
    expect(regularised.after).toBeLessThan(regularised.before);
  });
});
