// Every core layer type, exported from a randomly initialised tfjs model, computes the same function
// in onnxruntime-node (≤ 1e-4) and passes the official ONNX checker.
import { describe, expect, it } from 'vitest';
import { chain, exportWithParity, onnxCheckerErrors, exportedFiles, type LayerDef } from './harness.ts';
import { ACTIVATIONS } from '../../engine/layers/types.ts';
import { allLayers } from '../../engine/layers/registry.ts';
import { onnxEmitterFor } from '../../engine/onnx/emitter-registry.ts';

const TOL = 1e-4;

async function expectParity(inputShape: number[], layers: LayerDef[], label: string, opset?: number) {
  const r = await exportWithParity(chain(inputShape, ...layers), { label, opset });
  expect(r.maxAbsDiff, `${label}: max abs diff`).toBeLessThanOrEqual(TOL);
  expect(r.passed, label).toBe(true);
  return r;
}

it('every layer type in the registry has an ONNX emitter', () => {
  const missing = allLayers()
    .filter((spec) => spec.type !== 'Input' && spec.type !== 'Output' && !onnxEmitterFor(spec.type))
    .map((spec) => spec.type);
  expect(missing).toEqual([]);
});

describe('ONNX export: Dense and activations', () => {
  it('Dense on [batch, features] is a Gemm, with and without bias', async () => {
    const r = await expectParity(
      [5],
      [
        ['Dense', { units: 4, activation: 'relu' }],
        ['Dense', { units: 3, useBias: false }],
      ],
      'dense',
    );
    expect(r.opTypes.filter((t) => t === 'Gemm')).toHaveLength(2);
  });

  it('Dense on a rank-3 input acts on the last axis (MatMul + Add)', async () => {
    const r = await expectParity(
      [4, 6],
      [
        ['Dense', { units: 5, activation: 'tanh' }],
        ['Dense', { units: 2, useBias: false }],
      ],
      'dense-rank3',
    );
    expect(r.opTypes).toContain('MatMul');
    expect(r.opTypes).not.toContain('Gemm');
  });

  it.each(ACTIVATIONS.map((a) => [a]))(
    'activation %s, in Dense and as an Activation layer',
    async (activation) => {
      await expectParity(
        [6],
        [
          ['Dense', { units: 5, activation }],
          ['Activation', { activation }],
        ],
        `act-${activation}`,
      );
    },
  );

  it('softmax normalises the last axis of a sequence', async () => {
    await expectParity([3, 4], [['Activation', { activation: 'softmax' }]], 'softmax-rank3');
  });

  it('Dropout is the identity at inference and adds no node', async () => {
    const r = await expectParity(
      [5],
      [
        ['Dropout', { rate: 0.5 }],
        ['Dense', { units: 2 }],
      ],
      'dropout',
    );
    expect(r.opTypes).toEqual(['Gemm', 'Identity']);
  });

  it('Dropout with rate > 0 inside a conv net is the identity and keeps the conv run in NCHW', async () => {
    const r = await expectParity(
      [8, 8, 2],
      [
        ['Conv2D', { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }],
        ['Dropout', { rate: 0.3 }],
        ['MaxPooling2D', { poolSize: 2 }],
        ['Dropout', { rate: 0.9 }],
        ['Conv2D', { filters: 2, kernelSize: 2, strides: 2 }],
        ['Flatten'],
        ['Dropout', { rate: 0.25 }],
        ['Dense', { units: 3 }],
      ],
      'dropout-conv',
    );
    expect(r.opTypes).not.toContain('Dropout');
    // One transpose into NCHW, one back before Flatten: the dropouts don't break the conv run.
    expect(r.opTypes.filter((t) => t === 'Transpose')).toHaveLength(2);
  });
});

describe('ONNX export: normalisation', () => {
  it('BatchNormalization uses the moving statistics, on features and after a conv', async () => {
    await expectParity(
      [6],
      [
        ['BatchNormalization', { epsilon: 0.001 }],
        ['Dense', { units: 2 }],
      ],
      'bn-dense',
    );
    const conv = await expectParity(
      [6, 6, 2],
      [
        ['Conv2D', { filters: 3, kernelSize: 3 }],
        ['BatchNormalization', {}],
        ['Activation', { activation: 'relu' }],
      ],
      'bn-conv',
    );
    expect(conv.opTypes).toContain('BatchNormalization');
    const seq = await expectParity([5, 3], [['BatchNormalization', { epsilon: 0.01 }]], 'bn-sequence');
    expect(seq.opTypes).not.toContain('Transpose');
  });

  it.each([[13], [17]])('LayerNormalization at opset %i', async (opset) => {
    const r = await expectParity(
      [4, 6],
      [
        ['LayerNormalization', { epsilon: 0.001 }],
        ['Dense', { units: 2 }],
      ],
      `ln-opset${opset}`,
      opset,
    );
    expect(r.opTypes.includes('LayerNormalization')).toBe(opset >= 17);
  });
});

describe('ONNX export: reshaping and embeddings', () => {
  it('Flatten after a conv keeps tfjs NHWC element order', async () => {
    await expectParity(
      [5, 5, 2],
      [['Conv2D', { filters: 3, kernelSize: 2 }], ['Flatten'], ['Dense', { units: 3 }]],
      'flatten-conv',
    );
  });

  it('Reshape, with an explicit shape and with -1', async () => {
    await expectParity(
      [12],
      [
        ['Reshape', { targetShape: [3, 4] }],
        ['Dense', { units: 2 }],
      ],
      'reshape',
    );
    await expectParity(
      [4, 6],
      [
        ['Reshape', { targetShape: [-1, 2, 3] }],
        ['Conv2D', { filters: 2, kernelSize: 2 }],
        ['Reshape', { targetShape: [-1] }],
      ],
      'reshape-infer',
    );
  });

  it('Embedding gathers vectors for integer ids', async () => {
    const r = await expectParity(
      [7],
      [['Embedding', { inputDim: 20, outputDim: 4 }], ['GlobalAveragePooling1D'], ['Dense', { units: 2 }]],
      'embedding',
    );
    expect(r.opTypes).toContain('Gather');
  });

  it('Embedding with a tiny vocabulary and wide vectors, flattened', async () => {
    const r = await expectParity(
      [3],
      [['Embedding', { inputDim: 2, outputDim: 9 }], ['Flatten'], ['Dense', { units: 2 }]],
      'embedding-flatten',
    );
    expect(r.opTypes).toContain('Gather');
  });

  it('Embedding of a varying-length sequence ([-1]) feeding a GRU', async () => {
    await expectParity(
      [-1],
      [
        ['Embedding', { inputDim: 50, outputDim: 3 }],
        ['GRU', { units: 4 }],
        ['Dense', { units: 1 }],
      ],
      'embedding-varying',
    );
  });
});

it('every exported file passes onnx.checker.check_model(full_check=True)', () => {
  const files = exportedFiles();
  expect(files.length).toBeGreaterThan(20);
  expect(onnxCheckerErrors(files)).toEqual({});
});
