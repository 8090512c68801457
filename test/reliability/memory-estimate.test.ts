// Out-of-memory guard: the estimate a training run checks before its first epoch.
import { describe, expect, it } from 'vitest';
import {
  estimateTrainingMemory,
  memoryWarning,
  largestFittingBatch,
  availableTrainingMemory,
} from '../../engine/train/memory-estimate.ts';
import { loadExample } from '../../engine/examples.ts';
import type { Graph } from '../../engine/project/schema.ts';

const convNet: Graph = {
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [224, 224, 3] } },
    { id: 'c1', type: 'Conv2D', params: { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { id: 'c2', type: 'Conv2D', params: { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { id: 'f', type: 'Flatten', params: {} },
    { id: 'd', type: 'Dense', params: { units: 10, activation: 'softmax' } },
    { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'c1' },
    { id: 'e2', source: 'c1', target: 'c2' },
    { id: 'e3', source: 'c2', target: 'f' },
    { id: 'e4', source: 'f', target: 'd' },
    { id: 'e5', source: 'd', target: 'out' },
  ],
};

describe('training memory estimate', () => {
  it('counts weights, gradients, optimizer slots, activations and inputs for the Iris MLP', async () => {
    const { graph } = await loadExample('iris-mlp');
    const est = estimateTrainingMemory(graph, 16, 'adam');
    const params = 4 * 16 + 16 + 16 * 3 + 3; // 131
    expect(est.weightsBytes).toBe(params * 4);
    expect(est.gradientBytes).toBe(params * 4);
    expect(est.optimizerBytes).toBe(params * 4 * 2);
    expect(est.activationBytes).toBe((16 + 3) * 2 * 4 * 16);
    expect(est.inputBytes).toBe(4 * 4 * 16);
    expect(est.totalBytes).toBe(est.fixedBytes + est.perSampleBytes * 16);
    expect(est.approximate).toBe(false);
    expect(estimateTrainingMemory(graph, 16, 'sgd').optimizerBytes).toBe(0);
  });

  it('grows linearly with the batch size', () => {
    const a = estimateTrainingMemory(convNet, 8);
    const b = estimateTrainingMemory(convNet, 16);
    expect(b.totalBytes - a.totalBytes).toBe(8 * a.perSampleBytes);
    // two 224×224×64 conv outputs dominate: ~25.7 MB per sample for value + gradient
    expect(a.perSampleBytes).toBeGreaterThan(2 * 224 * 224 * 64 * 2 * 4);
  });

  it('warns with one sentence and a batch size that fits when the run would not fit', () => {
    const est = estimateTrainingMemory(convNet, 4096);
    const available = 2 * 1024 ** 3;
    const warning = memoryWarning(est, available);
    expect(warning).toMatch(
      /^Training needs about [\d.]+ (GB|TB) of memory \(batch size 4096\), but only 2\.1 GB is available; lower the batch size to \d+ or make the model smaller\.$/,
    );
    const suggested = Number(/batch size to (\d+)/.exec(warning!)![1]);
    expect(suggested).toBeLessThanOrEqual(largestFittingBatch(est, available));
    expect(estimateTrainingMemory(convNet, suggested).totalBytes).toBeLessThanOrEqual(available * 0.8);
  });

  it('says the model itself is too big when even batch size 1 does not fit', () => {
    const est = estimateTrainingMemory(convNet, 1);
    expect(memoryWarning(est, est.fixedBytes / 2)).toMatch(/do not fit, so make the model smaller\.$/);
  });

  it('stays silent when the run fits, and knows the memory of this machine', async () => {
    const { graph } = await loadExample('iris-mlp');
    const available = availableTrainingMemory('cpu');
    expect(available).toBeGreaterThan(0);
    expect(memoryWarning(estimateTrainingMemory(graph, 32), available)).toBeNull();
    expect(availableTrainingMemory('wasm')).toBeLessThanOrEqual(4 * 1024 ** 3);
  });
});
