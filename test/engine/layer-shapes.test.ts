// For every layer type, over a spread of parameters: the shape and parameter count Netwright infers
// without tfjs equal what the compiled tfjs model reports, and a real forward pass produces that shape.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { layerTypes } from '../../engine/layers/registry.ts';
import { singleLayerGraph, type LayerParams } from './graph-helpers.ts';

type Case = [type: string, inputs: number[][], params: LayerParams];

const CASES: Case[] = [
  ['Dense', [[4]], { units: 3, activation: 'relu' }],
  ['Dense', [[5, 7]], { units: 2, useBias: false }],
  ['Dense', [[6]], { units: 4, kernelRegularizer: { l2: 0.01 } }],
  ['Activation', [[3, 4]], { activation: 'softmax' }],
  ['Activation', [[5]], { activation: 'swish' }],
  ['Embedding', [[10]], { inputDim: 50, outputDim: 4 }],
  ['Embedding', [[-1]], { inputDim: 7, outputDim: 3 }],
  ['Conv1D', [[20, 3]], { filters: 4, kernelSize: 3 }],
  ['Conv1D', [[20, 3]], { filters: 2, kernelSize: 5, strides: 2, padding: 'same' }],
  ['Conv1D', [[21, 2]], { filters: 3, kernelSize: 4, strides: 3, padding: 'valid' }],
  ['Conv1D', [[20, 3]], { filters: 2, kernelSize: 3, dilationRate: 2, activation: 'tanh' }],
  ['Conv1D', [[-1, 4]], { filters: 2, kernelSize: 2, padding: 'same', useBias: false }],
  ['Conv2D', [[28, 28, 1]], { filters: 8, kernelSize: 3, activation: 'relu' }],
  ['Conv2D', [[9, 11, 3]], { filters: 4, kernelSize: [2, 4], strides: [2, 3] }],
  ['Conv2D', [[9, 11, 3]], { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }],
  ['Conv2D', [[12, 10, 2]], { filters: 3, kernelSize: 3, dilationRate: 2 }],
  [
    'Conv2D',
    [[12, 10, 2]],
    { filters: 3, kernelSize: [3, 1], dilationRate: [1, 3], padding: 'same', useBias: false },
  ],
  ['Conv2D', [[5, 5, 6]], { filters: 2, kernelSize: 5, kernelRegularizer: { l1: 0.001 } }],
  ['MaxPooling1D', [[10, 3]], {}],
  ['MaxPooling1D', [[10, 3]], { poolSize: 3, strides: 1 }],
  ['MaxPooling1D', [[10, 3]], { poolSize: 3, padding: 'same' }],
  ['AveragePooling1D', [[11, 2]], { poolSize: 3, strides: 2 }],
  ['AveragePooling1D', [[11, 2]], { poolSize: 4, padding: 'same' }],
  ['MaxPooling2D', [[7, 7, 2]], {}],
  ['MaxPooling2D', [[7, 7, 2]], { padding: 'same' }],
  ['MaxPooling2D', [[9, 8, 1]], { poolSize: [2, 3], strides: [1, 2] }],
  ['AveragePooling2D', [[7, 9, 2]], { poolSize: 3, strides: 2, padding: 'same' }],
  ['AveragePooling2D', [[6, 6, 3]], { poolSize: [3, 2] }],
  ['GlobalAveragePooling1D', [[10, 3]], {}],
  ['GlobalMaxPooling1D', [[-1, 5]], {}],
  ['GlobalAveragePooling2D', [[4, 5, 6]], {}],
  ['GlobalMaxPooling2D', [[4, 5, 6]], {}],
  ['Flatten', [[5, 5, 4]], {}],
  ['Flatten', [[7, 3]], {}],
  ['Reshape', [[12]], { targetShape: [3, 4] }],
  ['Reshape', [[12]], { targetShape: [-1, 2] }],
  ['Reshape', [[2, 3, 2]], { targetShape: [-1] }],
  ['Reshape', [[784]], { targetShape: [28, 28, 1] }],
  ['Dropout', [[6]], { rate: 0 }],
  ['Dropout', [[3, 4]], { rate: 0.3 }],
  ['BatchNormalization', [[8]], {}],
  ['BatchNormalization', [[4, 4, 3]], { momentum: 0.9, epsilon: 0.01 }],
  ['LayerNormalization', [[6]], {}],
  ['LayerNormalization', [[5, 4]], { epsilon: 1e-5 }],
  ['SimpleRNN', [[6, 3]], { units: 4 }],
  ['SimpleRNN', [[6, 3]], { units: 5, returnSequences: true, activation: 'relu' }],
  ['LSTM', [[6, 3]], { units: 4 }],
  ['LSTM', [[6, 3]], { units: 3, returnSequences: true }],
  ['LSTM', [[-1, 2]], { units: 2, returnSequences: true }],
  ['GRU', [[6, 3]], { units: 4 }],
  ['GRU', [[5, 2]], { units: 6, returnSequences: true, activation: 'sigmoid' }],
  [
    'Add',
    [
      [4, 3],
      [4, 3],
    ],
    {},
  ],
  ['Add', [[5], [5], [5]], {}],
  [
    'Multiply',
    [
      [2, 3, 4],
      [2, 3, 4],
    ],
    {},
  ],
  ['Average', [[6], [6], [6]], {}],
  [
    'Concatenate',
    [
      [4, 3],
      [4, 5],
    ],
    {},
  ],
  [
    'Concatenate',
    [
      [2, 3],
      [4, 3],
    ],
    { axis: 1 },
  ],
  [
    'Concatenate',
    [
      [2, 3],
      [2, 3],
    ],
    { axis: 2 },
  ],
  [
    'Concatenate',
    [
      [2, 3, 4],
      [2, 5, 4],
      [2, 1, 4],
    ],
    { axis: -2 },
  ],
  [
    'Concatenate',
    [
      [3, 2, 4],
      [1, 2, 4],
    ],
    { axis: 1 },
  ],
];

/** Concrete batch shape for a forward pass: batch 2, varying sizes (-1) become 5. */
const sample = (shape: number[]) => [2, ...shape.map((d) => (d === -1 ? 5 : d))];
/** `null` in an inferred shape matches any concrete size. */
const matches = (actual: number[], inferred: (number | null)[]) =>
  actual.length === inferred.length && actual.every((d, i) => inferred[i] === null || inferred[i] === d);

describe('every layer type: inferred shape and parameter count equal tfjs', () => {
  it('covers every registered layer type', () => {
    const covered = new Set(['Input', 'Output', ...CASES.map((c) => c[0])]);
    expect(layerTypes().filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(
    CASES.map((c, i) => [`${c[0]} #${i} on ${JSON.stringify(c[1])} ${JSON.stringify(c[2])}`, c] as const),
  )('%s', (_label, [type, inputs, params]) => {
    const graph = singleLayerGraph(inputs, type, params);
    const compiled = compileGraph(tf, graph);
    try {
      const info = compiled.inspection.nodes.find((n) => n.id === 'layer')!;
      const layer = compiled.layerOf.get('layer')!;
      expect(layer.getClassName()).toBe(type);
      expect(info.outputShape).toEqual(layer.outputShape);
      expect(info.paramCount).toBe(layer.countParams());
      expect(compiled.inspection.totalParams).toBe(compiled.model.countParams());
      tf.tidy(() => {
        const xs = inputs.map((s) => tf.zeros(sample(s)));
        const y = compiled.model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
        expect(matches(y.shape, info.outputShape!), `forward pass gave ${JSON.stringify(y.shape)}`).toBe(
          true,
        );
      });
    } finally {
      compiled.model.dispose();
    }
  });
});
