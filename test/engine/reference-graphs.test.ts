// Reference networks with known Keras numbers, and multi-branch DAGs, compiled with real tfjs.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { chainGraph, dag } from './graph-helpers.ts';
import type { Graph } from '../../engine/project/schema.ts';

/** Compile, check the inferred totals and output shapes against tfjs, run a forward pass, dispose. */
function compileAndMatch(graph: Graph) {
  const compiled = compileGraph(tf, graph);
  const { model, inspection, outputIds, layerOf } = compiled;
  expect(inspection.totalParams).toBe(model.countParams());
  const infoById = new Map(inspection.nodes.map((n) => [n.id, n]));
  outputIds.forEach((id, i) => expect(infoById.get(id)!.outputShape).toEqual(model.outputs[i].shape));
  for (const [id, layer] of layerOf) {
    expect(infoById.get(id)!.outputShape, id).toEqual(layer.outputShape);
    expect(infoById.get(id)!.paramCount, id).toBe(layer.countParams());
  }
  const shapes = model.inputs.map((t) => [1, ...t.shape.slice(1).map((d) => d ?? 7)]); // varying sizes: 7
  const ys = tf.tidy(() => {
    const out = model.predict(shapes.map((s) => tf.zeros(s)));
    return (Array.isArray(out) ? out : [out]).map((t) => t.shape);
  });
  const result = {
    inspection,
    outputShapes: model.outputs.map((t) => t.shape),
    predictedShapes: ys,
    compiled,
  };
  model.dispose();
  return result;
}

describe('reference graphs', () => {
  it('the classic MNIST CNN has 225,034 parameters and output [null, 10]', () => {
    const graph = chainGraph(
      [28, 28, 1],
      [
        ['Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }],
        ['MaxPooling2D', { poolSize: 2 }],
        ['Conv2D', { filters: 64, kernelSize: 3, activation: 'relu' }],
        ['MaxPooling2D', { poolSize: 2 }],
        ['Flatten', {}],
        ['Dense', { units: 128, activation: 'relu' }],
        ['Dropout', { rate: 0.5 }],
        ['Dense', { units: 10, activation: 'softmax' }],
      ],
    );
    const { inspection, outputShapes, predictedShapes } = compileAndMatch(graph);
    expect(inspection.totalParams).toBe(225_034);
    expect(outputShapes).toEqual([[null, 10]]);
    expect(predictedShapes).toEqual([[1, 10]]);
    const shapeOf = (id: string) => inspection.nodes.find((n) => n.id === id)!.outputShape;
    expect(shapeOf('n0')).toEqual([null, 26, 26, 32]);
    expect(shapeOf('n3')).toEqual([null, 5, 5, 64]);
    expect(shapeOf('n4')).toEqual([null, 1600]);
  });

  it('LSTM(32) on [20, 8] followed by Dense(1) has 5,281 parameters', () => {
    const graph = chainGraph(
      [20, 8],
      [
        ['LSTM', { units: 32 }],
        ['Dense', { units: 1 }],
      ],
      'meanSquaredError',
    );
    const { inspection, outputShapes } = compileAndMatch(graph);
    expect(inspection.totalParams).toBe(5_281);
    expect(outputShapes).toEqual([[null, 1]]);
  });

  it('a residual block (Conv2D same → BN → Activation → Add with the skip) compiles and matches', () => {
    const graph = dag(
      [
        ['in', 'Input', { shape: [8, 8, 4] }],
        ['c1', 'Conv2D', { filters: 4, kernelSize: 3, padding: 'same', useBias: false }],
        ['bn', 'BatchNormalization', {}],
        ['act', 'Activation', { activation: 'relu' }],
        ['add', 'Add', {}],
        ['gap', 'GlobalAveragePooling2D', {}],
        ['d', 'Dense', { units: 3, activation: 'softmax' }],
        ['out', 'Output', {}],
      ],
      [
        ['in', 'c1'],
        ['c1', 'bn'],
        ['bn', 'act'],
        ['act', 'add', 0],
        ['in', 'add', 1],
        ['add', 'gap'],
        ['gap', 'd'],
        ['d', 'out'],
      ],
    );
    const { inspection } = compileAndMatch(graph);
    expect(inspection.totalParams).toBe(3 * 3 * 4 * 4 + 4 * 4 + (4 * 3 + 3));
  });

  it('an Inception-style block joins parallel branches with Concatenate in port order', () => {
    const graph = dag(
      [
        ['in', 'Input', { shape: [16, 16, 3] }],
        ['b1', 'Conv2D', { filters: 4, kernelSize: 1 }],
        ['b3', 'Conv2D', { filters: 6, kernelSize: 3, padding: 'same' }],
        ['b5', 'Conv2D', { filters: 2, kernelSize: 5, padding: 'same' }],
        ['bp', 'MaxPooling2D', { poolSize: 3, strides: 1, padding: 'same' }],
        ['cat', 'Concatenate', {}],
        ['f', 'Flatten', {}],
        ['d', 'Dense', { units: 2, activation: 'softmax' }],
        ['out', 'Output', {}],
      ],
      [
        ['in', 'b1'],
        ['in', 'b3'],
        ['in', 'b5'],
        ['in', 'bp'],
        ['b5', 'cat', 2],
        ['b1', 'cat', 0],
        ['bp', 'cat', 3],
        ['b3', 'cat', 1],
        ['cat', 'f'],
        ['f', 'd'],
        ['d', 'out'],
      ],
    );
    const { inspection, compiled } = compileAndMatch(graph);
    expect(inspection.nodes.find((n) => n.id === 'cat')!.outputShape).toEqual([null, 16, 16, 4 + 6 + 2 + 3]);
    expect(inspection.nodes.find((n) => n.id === 'cat')!.inputs).toEqual(['b1', 'b3', 'b5', 'bp']);
    const catInputs = compiled.layerOf.get('cat')!.inboundNodes[0].inboundLayers.map((l) => l.name);
    expect(catInputs).toEqual(['b1', 'b3', 'b5', 'bp']);
  });

  it('two inputs (a sequence and a vector) merged into one head', () => {
    const graph = dag(
      [
        ['seq', 'Input', { shape: [10, 3] }],
        ['meta', 'Input', { shape: [5] }],
        ['gru', 'GRU', { units: 8 }],
        ['dm', 'Dense', { units: 4, activation: 'relu' }],
        ['cat', 'Concatenate', { axis: -1 }],
        ['d', 'Dense', { units: 1, activation: 'sigmoid' }],
        ['out', 'Output', { loss: 'binaryCrossentropy' }],
      ],
      [
        ['seq', 'gru'],
        ['meta', 'dm'],
        ['gru', 'cat', 0],
        ['dm', 'cat', 1],
        ['cat', 'd'],
        ['d', 'out'],
      ],
    );
    const { inspection, compiled, predictedShapes } = compileAndMatch(graph);
    expect(compiled.inputIds).toEqual(['seq', 'meta']);
    expect(inspection.nodes.find((n) => n.id === 'cat')!.outputShape).toEqual([null, 12]);
    expect(predictedShapes).toEqual([[1, 1]]);
  });

  it('two outputs (classification and regression heads) from a shared trunk', () => {
    const graph = dag(
      [
        ['in', 'Input', { shape: [12] }],
        ['trunk', 'Dense', { units: 16, activation: 'relu' }],
        ['cls', 'Dense', { units: 3, activation: 'softmax' }],
        ['reg', 'Dense', { units: 2 }],
        ['outCls', 'Output', { loss: 'categoricalCrossentropy' }],
        ['outReg', 'Output', { loss: 'meanSquaredError' }],
      ],
      [
        ['in', 'trunk'],
        ['trunk', 'cls'],
        ['trunk', 'reg'],
        ['cls', 'outCls'],
        ['reg', 'outReg'],
      ],
    );
    const { outputShapes, predictedShapes, compiled } = compileAndMatch(graph);
    expect(compiled.outputIds).toEqual(['outCls', 'outReg']);
    expect(compiled.losses).toEqual(['categoricalCrossentropy', 'meanSquaredError']);
    expect(outputShapes).toEqual([
      [null, 3],
      [null, 2],
    ]);
    expect(predictedShapes).toEqual([
      [1, 3],
      [1, 2],
    ]);
  });

  it('a text classifier: Embedding → Conv1D → GlobalMaxPooling1D → Dense', () => {
    const graph = chainGraph(
      [50],
      [
        ['Embedding', { inputDim: 200, outputDim: 8 }],
        ['Conv1D', { filters: 16, kernelSize: 5, activation: 'relu' }],
        ['GlobalMaxPooling1D', {}],
        ['Dense', { units: 1, activation: 'sigmoid' }],
      ],
    );
    const { inspection } = compileAndMatch(graph);
    expect(inspection.totalParams).toBe(200 * 8 + (5 * 8 * 16 + 16) + 17);
  });

  it('stacked recurrent layers over a variable-length sequence (Input -1)', () => {
    const graph = chainGraph(
      [-1, 4],
      [
        ['LSTM', { units: 6, returnSequences: true }],
        ['SimpleRNN', { units: 3 }],
        ['Dense', { units: 1 }],
      ],
    );
    const { inspection } = compileAndMatch(graph);
    expect(inspection.nodes.find((n) => n.id === 'n0')!.outputShape).toEqual([null, null, 6]);
  });
});
