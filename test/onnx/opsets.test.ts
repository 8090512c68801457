// The same layers exported at opset 13 (the lowest), 18 (where Reduce* ops take their axes as an input
// instead of an attribute) and the highest supported opset, each with parity in onnxruntime-node.
// The official checker here (Debian's python3-onnx 1.12) only knows opsets ≤ 17, so only the opset-13
// files go through it; the opset-18 and highest-opset files are proven by onnxruntime-node alone.
import { describe, expect, it } from 'vitest';
import {
  chain,
  dag,
  exportWithParity,
  onnxCheckerErrors,
  exportedFiles,
  CHECKER_MAX_OPSET,
  type LayerDef,
} from './harness.ts';
import { MAX_OPSET, MIN_OPSET, irVersionFor } from '../../engine/onnx/opsets.ts';
import { onnx } from '../../engine/onnx/proto.ts';
import type { Graph } from '../../engine/project/schema.ts';

const TOL = 1e-4;
const OPSETS = [MIN_OPSET, 18, MAX_OPSET];

const seq = (shape: number[], ...layers: LayerDef[]): Graph => chain(shape, ...layers);

/** label → graph; every one is exported at every opset in OPSETS. */
const CASES: Record<string, Graph> = {
  // Global pooling straight on a tfjs-layout tensor is a Reduce* over the spatial axes.
  GlobalAveragePooling1D: seq([7, 3], ['GlobalAveragePooling1D'], ['Dense', { units: 2 }]),
  GlobalMaxPooling1D: seq([7, 3], ['GlobalMaxPooling1D'], ['Dense', { units: 2 }]),
  GlobalAveragePooling2D: seq([5, 4, 3], ['GlobalAveragePooling2D']),
  GlobalMaxPooling2D: seq([5, 4, 3], ['GlobalMaxPooling2D']),
  // After a conv (channels-first) it is GlobalAveragePool / GlobalMaxPool.
  'Conv2D same stride 2 → GlobalMaxPooling2D': seq(
    [9, 7, 2],
    ['Conv2D', { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }],
    ['GlobalMaxPooling2D'],
  ),
  'Conv2D same stride 2 → pool → GlobalAveragePooling2D': seq(
    [8, 8, 2],
    ['Conv2D', { filters: 4, kernelSize: 2, strides: 2, padding: 'same' }],
    ['MaxPooling2D', { poolSize: 2, padding: 'same' }],
    ['GlobalAveragePooling2D'],
  ),
  'Conv1D same stride 2 → AveragePooling1D → Flatten': seq(
    [11, 3],
    ['Conv1D', { filters: 2, kernelSize: 4, strides: 2, padding: 'same' }],
    ['AveragePooling1D', { poolSize: 2 }],
    ['Flatten'],
    ['Dense', { units: 2 }],
  ),
  LayerNormalization: seq([4, 6], ['LayerNormalization', { epsilon: 0.001 }], ['Dense', { units: 2 }]),
  'BatchNormalization after a conv and on features': seq(
    [6, 6, 2],
    ['Conv2D', { filters: 3, kernelSize: 3 }],
    ['BatchNormalization', {}],
    ['Flatten'],
    ['BatchNormalization', { epsilon: 0.01 }],
    ['Dense', { units: 2 }],
  ),
  'Dense rank 3': seq([4, 5], ['Dense', { units: 3, activation: 'tanh' }], ['Dense', { units: 2 }]),
  LSTM: seq([5, 3], ['LSTM', { units: 4, returnSequences: true }], ['LSTM', { units: 3 }]),
  GRU: seq([5, 3], ['GRU', { units: 4, returnSequences: true }], ['GRU', { units: 2 }]),
  SimpleRNN: seq([5, 3], ['SimpleRNN', { units: 3 }], ['Dense', { units: 2 }]),
  'Embedding → GlobalAveragePooling1D': seq(
    [6],
    ['Embedding', { inputDim: 11, outputDim: 4 }],
    ['GlobalAveragePooling1D'],
    ['Dense', { units: 2, activation: 'softmax' }],
  ),
  'Concatenate and Multiply of branches': dag([6, 4], {
    a: ['Dense', { units: 3, activation: 'relu' }, ['x']],
    b: ['LSTM', { units: 3, returnSequences: true }, ['x']],
    m: ['Multiply', {}, ['a', 'b']],
    cat: ['Concatenate', { axis: -1 }, ['m', 'x', 'a']],
    g: ['GlobalMaxPooling1D', {}, ['cat']],
    y: ['Output', { loss: 'meanSquaredError' }, ['g']],
  }),
};

const nodesOf = (bytes: Uint8Array) => onnx.ModelProto.decode(bytes).graph!.node!;

describe.each(OPSETS.map((o) => [o]))('ONNX export at opset %i', (opset) => {
  it.each(Object.keys(CASES).map((k) => [k]))('%s', async (label) => {
    const r = await exportWithParity(CASES[label], { opset, label: `opset${opset}-${label}` });
    expect(r.maxAbsDiff, `${label}: max abs diff`).toBeLessThanOrEqual(TOL);
    expect(r.passed, label).toBe(true);
    const model = onnx.ModelProto.decode(r.bytes);
    expect(Number(model.opsetImport![0].version)).toBe(opset);
    expect(Number(model.irVersion)).toBe(irVersionFor(opset));
  });

  it('Reduce ops take their axes as an input from opset 18, as an attribute before', async () => {
    for (const label of [
      'GlobalAveragePooling1D',
      'GlobalMaxPooling2D',
      'Embedding → GlobalAveragePooling1D',
    ]) {
      const r = await exportWithParity(CASES[label], { opset, label: `reduce-opset${opset}-${label}` });
      expect(r.passed, label).toBe(true);
      const reduces = nodesOf(r.bytes).filter((n) => n.opType!.startsWith('Reduce'));
      expect(reduces.length, label).toBeGreaterThan(0);
      for (const n of reduces) {
        const axesAttr = n.attribute!.some((a) => a.name === 'axes');
        expect({ inputs: n.input!.length, axesAttr }).toEqual(
          opset >= 18 ? { inputs: 2, axesAttr: false } : { inputs: 1, axesAttr: true },
        );
      }
    }
  });
});

it(`every file at an opset the checker knows (≤ ${CHECKER_MAX_OPSET}) passes onnx.checker.check_model(full_check=True)`, () => {
  const files = exportedFiles();
  // Only the opset-13 files: python3-onnx 1.12 rejects opsets above 17 as unknown, so the opset-18 and
  // highest-opset files above rely on onnxruntime-node's parity alone.
  expect(files.length).toBe(Object.keys(CASES).length + 3);
  expect(files.every((f) => /opset13-/.test(f))).toBe(true);
  expect(onnxCheckerErrors(files)).toEqual({});
});
