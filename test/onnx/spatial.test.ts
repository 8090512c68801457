// Conv1D/Conv2D, every pooling type and global pooling: both paddings, strides > 1, dilation, odd
// sizes (where tfjs' asymmetric 'same' padding shows), and no transposes inside a conv/pool run.
import { describe, expect, it } from 'vitest';
import { chain, exportWithParity, onnxCheckerErrors, exportedFiles, type LayerDef } from './harness.ts';

const TOL = 1e-4;

async function expectParity(inputShape: number[], layers: LayerDef[], label: string) {
  const r = await exportWithParity(chain(inputShape, ...layers), { label });
  expect(r.maxAbsDiff, `${label}: max abs diff`).toBeLessThanOrEqual(TOL);
  expect(r.passed, label).toBe(true);
  return r;
}

const CONV_SETTINGS: Record<string, unknown>[] = [
  { padding: 'valid', strides: 1, kernelSize: 3 },
  { padding: 'same', strides: 1, kernelSize: 3 },
  { padding: 'same', strides: 2, kernelSize: 3 },
  { padding: 'valid', strides: 2, kernelSize: 2 },
  { padding: 'same', strides: 2, kernelSize: 4 },
  { padding: 'same', strides: 1, kernelSize: 2, dilationRate: 2 },
  { padding: 'valid', strides: 1, kernelSize: 3, dilationRate: 2, useBias: false },
];

describe('ONNX export: convolutions', () => {
  it.each(CONV_SETTINGS.map((s) => [JSON.stringify(s), s]))('Conv2D %s on a 7×6 image', async (_, s) => {
    await expectParity(
      [7, 6, 2],
      [['Conv2D', { filters: 3, activation: 'relu', ...s }]],
      `conv2d-${JSON.stringify(s)}`,
    );
  });

  it('Conv2D with a rectangular kernel and strides', async () => {
    await expectParity(
      [9, 8, 3],
      [['Conv2D', { filters: 4, kernelSize: [3, 2], strides: [2, 1], padding: 'same' }]],
      'conv2d-rect',
    );
  });

  it.each(CONV_SETTINGS.map((s) => [JSON.stringify(s), s]))('Conv1D %s on 9 steps', async (_, s) => {
    await expectParity(
      [9, 3],
      [['Conv1D', { filters: 4, activation: 'elu', ...s }]],
      `conv1d-${JSON.stringify(s)}`,
    );
  });
});

describe('ONNX export: pooling', () => {
  const POOL_SETTINGS: Record<string, unknown>[] = [
    { poolSize: 2, padding: 'valid' },
    { poolSize: 2, padding: 'same' },
    { poolSize: 3, strides: 2, padding: 'same' },
    { poolSize: 3, strides: 2, padding: 'valid' },
    { poolSize: 3, strides: 1, padding: 'same' },
  ];
  const cases = ['MaxPooling2D', 'AveragePooling2D', 'MaxPooling1D', 'AveragePooling1D'].flatMap((type) =>
    POOL_SETTINGS.map((s) => [type, JSON.stringify(s), s] as const),
  );
  it.each(cases)('%s %s', async (type, _, s) => {
    const shape = type.endsWith('2D') ? [7, 5, 2] : [7, 3];
    await expectParity(shape, [[type, s]], `${type}-${JSON.stringify(s)}`);
  });

  it.each([['GlobalAveragePooling2D'], ['GlobalMaxPooling2D']])(
    '%s straight from the input and after a conv',
    async (type) => {
      const direct = await expectParity([5, 4, 3], [[type]], `${type}-direct`);
      expect(direct.opTypes).not.toContain('Transpose');
      const afterConv = await expectParity(
        [5, 4, 3],
        [['Conv2D', { filters: 4, kernelSize: 2 }], [type]],
        `${type}-conv`,
      );
      expect(afterConv.opTypes.filter((t) => t === 'Transpose')).toHaveLength(1);
    },
  );

  it.each([['GlobalAveragePooling1D'], ['GlobalMaxPooling1D']])(
    '%s straight from the input and after a conv',
    async (type) => {
      await expectParity([6, 3], [[type]], `${type}-direct`);
      await expectParity([6, 3], [['Conv1D', { filters: 4, kernelSize: 2 }], [type]], `${type}-conv`);
    },
  );
});

// onnxruntime folds a zero Pad into the MaxPool after it, whose padding is −∞: a window of negative
// values at the edge then loses its 0, and a pad as wide as the window fails to load. The exporter
// writes zero padding as a Concat with zeros (engine/onnx/emitters/padding-cropping.ts).
describe('ONNX export: zero padding before a max pool keeps its zeros in onnxruntime', () => {
  it.each([
    [[6, 3], 'ZeroPadding1D', { padding: 1 }, 'MaxPooling1D'],
    [[-1, 3], 'ZeroPadding1D', { padding: [3, 2] }, 'MaxPooling1D'],
    [[5, 4, 2], 'ZeroPadding2D', { padding: [1, 2] }, 'MaxPooling2D'],
  ])('%j %s %j → %s', async (shape, pad, params, pool) => {
    const r = await expectParity(
      shape as number[],
      [
        [pad as string, params],
        [pool as string, { poolSize: 2, strides: 1 }],
      ],
      `${pad}-${pool}`,
    );
    expect(r.opTypes).not.toContain('Pad');
  });
});

describe('ONNX export: layouts', () => {
  it('a conv/pool/BN/activation run has one transpose in and one out; the input stays NHWC', async () => {
    const r = await expectParity(
      [12, 12, 1],
      [
        ['Conv2D', { filters: 4, kernelSize: 3, padding: 'same' }],
        ['BatchNormalization'],
        ['Activation', { activation: 'relu' }],
        ['MaxPooling2D', { poolSize: 2 }],
        ['Conv2D', { filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }],
        ['Dropout', { rate: 0.3 }],
        ['AveragePooling2D', { poolSize: 2, padding: 'same' }],
        ['Flatten'],
        ['Dense', { units: 3, activation: 'softmax' }],
      ],
      'cnn-run',
    );
    expect(r.opTypes.filter((t) => t === 'Transpose')).toHaveLength(2);
  });

  it('a conv output ending the model is returned in NHWC', async () => {
    await expectParity(
      [6, 6, 2],
      [
        ['Conv2D', { filters: 3, kernelSize: 3, padding: 'same' }],
        ['Activation', { activation: 'softmax' }],
      ],
      'conv-out',
    );
  });
});

it('every exported file passes onnx.checker.check_model(full_check=True)', () => {
  const files = exportedFiles();
  expect(files.length).toBeGreaterThan(40);
  expect(onnxCheckerErrors(files)).toEqual({});
});
