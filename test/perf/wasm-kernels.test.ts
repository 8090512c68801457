// Each kernel the project registers on the WebAssembly backend gives the cpu backend's result
// (within 1e-4, relative to the magnitude), on shapes that cover strides, padding and the edge cases.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { readFileSync } from 'node:fs';
import { setIm2colChunkFloats } from '../../engine/kernels/conv2d-backprop-filter.ts';
import { setBatchMatMulSimd } from '../../engine/kernels/batch-matmul.ts';
import { assembleAll } from '../../scripts/assemble-wat.mts';

type Inputs = Record<string, { shape: number[]; dtype?: 'float32' | 'int32'; values?: number[] }>;

function valuesFor(shape: number[], seed: number): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 1.5);
}

async function runOn(
  backend: 'cpu' | 'wasm',
  kernel: string,
  inputs: Inputs,
  attrs: object,
): Promise<{ shape: number[]; values: Float32Array }> {
  // selectBackend registers the project's wasm kernels once; the switch itself goes through
  // tf.setBackend each time (selectBackend remembers its last choice and would not switch back).
  if (backend === 'wasm') await selectBackend('wasm');
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, v], i) => [
      k,
      tf.tensor(v.values ?? valuesFor(v.shape, i + 1), v.shape, v.dtype ?? 'float32'),
    ]),
  );
  const out = tf.engine().runKernel(kernel, tensors, attrs as never) as tf.Tensor;
  const result = { shape: out.shape, values: Float32Array.from(out.dataSync()) };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

async function expectSameAsCpu(kernel: string, inputs: Inputs, attrs: object) {
  const want = await runOn('cpu', kernel, inputs, attrs);
  await expectWasmGives(want, kernel, inputs, attrs);
}

/** The wasm kernel's result equals `want` within 1e-4 (relative to the magnitude) and leaks nothing. */
async function expectWasmGives(
  want: { shape: number[]; values: Float32Array },
  kernel: string,
  inputs: Inputs,
  attrs: object,
) {
  const before = tf.memory().numTensors;
  const got = await runOn('wasm', kernel, inputs, attrs);
  expect(tf.memory().numTensors).toBe(before);
  expect(got.shape).toEqual(want.shape);
  let worst = 0;
  for (let i = 0; i < want.values.length; i++) {
    worst = Math.max(worst, Math.abs(got.values[i] - want.values[i]) / Math.max(1, Math.abs(want.values[i])));
  }
  expect(worst).toBeLessThan(1e-4);
}

afterAll(() => setIm2colChunkFloats(4 << 20));

describe('Conv2DBackpropFilter on wasm', () => {
  const cases: [string, number[], number[], number | [number, number], 'valid' | 'same'][] = [
    ['the CNN workload', [4, 28, 28, 1], [3, 3, 1, 16], 1, 'valid'],
    ['stride 2, same padding', [3, 9, 9, 3], [3, 3, 3, 5], 2, 'same'],
    ['rectangular kernel, mixed strides', [2, 7, 8, 3], [2, 3, 3, 4], [1, 2], 'valid'],
    ['even kernel, same padding', [2, 6, 5, 2], [2, 2, 2, 3], 1, 'same'],
    ['stride 2, same padding, 3 → 8 channels (SIMD product)', [3, 9, 9, 3], [3, 3, 3, 8], 2, 'same'],
    ['even kernel, same padding, 32 channels (SIMD product)', [2, 6, 5, 2], [2, 2, 2, 32], 1, 'same'],
    [
      '20 channels (SIMD product: a 16-column block and a 4-column rest)',
      [2, 7, 7, 3],
      [3, 3, 3, 20],
      1,
      'valid',
    ],
    [
      'the residual CNN block, 16 → 16 channels, same padding (SIMD taps)',
      [2, 9, 7, 16],
      [3, 3, 16, 16],
      1,
      'same',
    ],
    ['stride 2, same padding, odd size, 3 → 12 channels (SIMD taps)', [3, 7, 9, 3], [3, 3, 3, 12], 2, 'same'],
    ['5×5 kernel wider than the padded input row (SIMD taps)', [2, 3, 4, 2], [5, 5, 2, 8], [2, 1], 'same'],
  ];
  for (const [name, xShape, filterShape, strides, pad] of cases) {
    it(name, async () => {
      const probe = tf.backend_util.computeConv2DInfo(xShape as never, filterShape as never, strides, 1, pad);
      await expectSameAsCpu(
        'Conv2DBackpropFilter',
        { x: { shape: xShape }, dy: { shape: probe.outShape } },
        {
          strides,
          pad,
          dataFormat: 'NHWC',
          filterShape,
        },
      );
    });
  }
  // Output channels not in fours take the im2col + XNNPACK path, which cuts large batches.
  for (const co of [3, 5]) {
    it(`cuts a large batch into im2col chunks and sums them (${co} channels)`, async () => {
      setIm2colChunkFloats(500);
      const xShape = [5, 8, 8, 2];
      const filterShape = [3, 3, 2, co];
      await expectSameAsCpu(
        'Conv2DBackpropFilter',
        { x: { shape: xShape }, dy: { shape: [5, 6, 6, co] } },
        {
          strides: 1,
          pad: 'valid',
          dataFormat: 'NHWC',
          filterShape,
        },
      );
      setIm2colChunkFloats(4 << 20);
    });
  }
});

describe('BatchMatMul on wasm (transposes through the SIMD product or XNNPACK)', () => {
  // 'auto': small/skinny products in matTN (directly, or as Cᵀ and a transpose), the rest XNNPACK;
  // 'never': every transposed product through XNNPACK.
  for (const mode of ['auto', 'never'] as const) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        for (const [m, k, n] of [
          [5, 7, 3],
          [3, 40, 200],
          [200, 40, 3],
          [12, 33, 20],
          [36, 9, 10],
        ]) {
          it(`${mode}: transposeA=${transposeA} transposeB=${transposeB} ${m}×${k}·${k}×${n}`, async () => {
            const a = transposeA ? [k, m] : [m, k];
            const b = transposeB ? [n, k] : [k, n];
            setBatchMatMulSimd(mode);
            try {
              await expectSameAsCpu(
                'BatchMatMul',
                { a: { shape: [1, ...a] }, b: { shape: [1, ...b] } },
                { transposeA, transposeB },
              );
            } finally {
              setBatchMatMulSimd('auto');
            }
          });
        }
      }
    }
  }
  it('gives the same product for weights seen the first time (SIMD) and again (XNNPACK, packed once)', async () => {
    const [m, k, n] = [7, 33, 20];
    const a = { shape: [m, k], values: valuesFor([m, k], 1) };
    const b = { shape: [k, n], values: valuesFor([k, n], 2) };
    const want = await runOn('cpu', 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    await selectBackend('wasm');
    await tf.setBackend('wasm');
    const ta = tf.tensor(a.values, a.shape);
    const tb = tf.tensor(b.values, b.shape);
    const products = [0, 1, 2].map(() => tf.matMul(ta, tb));
    for (const p of products) {
      const got = p.dataSync();
      for (let i = 0; i < want.values.length; i++) expect(got[i]).toBeCloseTo(want.values[i], 4);
    }
    tf.dispose([ta, tb, ...products]);
  });
  it('keeps a batch of several matrices on the original path', async () => {
    await expectSameAsCpu(
      'BatchMatMul',
      { a: { shape: [3, 4, 5] }, b: { shape: [3, 6, 5] } },
      { transposeA: false, transposeB: true },
    );
  });
});

describe('DepthwiseConv2dNative gradients on wasm', () => {
  const cases: [string, number[], number[], number, 'valid' | 'same', number][] = [
    ['multiplier 2, valid', [2, 7, 7, 3], [3, 3, 3, 2], 1, 'valid', 1],
    ['stride 2, same', [2, 8, 7, 2], [3, 3, 2, 1], 2, 'same', 1],
  ];
  for (const [name, xShape, filterShape, strides, pad, dilations] of cases) {
    const info = tf.backend_util.computeConv2DInfo(
      xShape as never,
      filterShape as never,
      strides,
      dilations,
      pad,
      undefined,
      true,
    );
    it(`filter gradient, ${name}`, async () => {
      await expectSameAsCpu(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: { shape: xShape }, dy: { shape: info.outShape } },
        {
          strides,
          pad,
          dilations,
          filterShape,
        },
      );
    });
    it(`input gradient, ${name}`, async () => {
      await expectSameAsCpu(
        'DepthwiseConv2dNativeBackpropInput',
        { dy: { shape: info.outShape }, filter: { shape: filterShape } },
        {
          strides,
          pad,
          dilations,
          inputShape: xShape,
        },
      );
    });
  }
});

describe('DepthwiseConv2dNative gradients on wasm, dilation 2', () => {
  // The cpu backend's kernels ignore dilations (tfjs's own gradient asserts they are 1), so the
  // reference here is the undilated kernel on the equivalent 5×5 filter with zeros between taps.
  const xShape = [1, 9, 9, 2];
  const filterShape = [3, 3, 2, 2];
  const dyShape = [1, 5, 5, 4];
  const attrs = { strides: 1, pad: 'valid', dilations: 2 };
  const dilatedShape = [5, 5, 2, 2];
  const tap = (kh: number, kw: number, rest: number, width: number) => (kh * width + kw) * 4 + rest;
  it('filter gradient', async () => {
    const full = await runOn(
      'cpu',
      'DepthwiseConv2dNativeBackpropFilter',
      { x: { shape: xShape }, dy: { shape: dyShape } },
      {
        ...attrs,
        dilations: 1,
        filterShape: dilatedShape,
      },
    );
    const values = new Float32Array(36);
    for (let kh = 0; kh < 3; kh++)
      for (let kw = 0; kw < 3; kw++)
        for (let r = 0; r < 4; r++) values[tap(kh, kw, r, 3)] = full.values[tap(kh * 2, kw * 2, r, 5)];
    await expectWasmGives(
      { shape: filterShape, values },
      'DepthwiseConv2dNativeBackpropFilter',
      { x: { shape: xShape }, dy: { shape: dyShape } },
      {
        ...attrs,
        filterShape,
      },
    );
  });
  it('input gradient', async () => {
    const filter = valuesFor(filterShape, 2); // what runOn gives the second input
    const dilated = new Array<number>(100).fill(0);
    for (let kh = 0; kh < 3; kh++)
      for (let kw = 0; kw < 3; kw++)
        for (let r = 0; r < 4; r++) dilated[tap(kh * 2, kw * 2, r, 5)] = filter[tap(kh, kw, r, 3)];
    const want = await runOn(
      'cpu',
      'DepthwiseConv2dNativeBackpropInput',
      { dy: { shape: dyShape }, filter: { shape: dilatedShape, values: dilated } },
      {
        ...attrs,
        dilations: 1,
        inputShape: xShape,
      },
    );
    await expectWasmGives(
      want,
      'DepthwiseConv2dNativeBackpropInput',
      { dy: { shape: dyShape }, filter: { shape: filterShape } },
      { ...attrs, inputShape: xShape },
    );
  });
});

describe('Sum on wasm (leading axes in the SIMD kernel)', () => {
  const cases: [string, number[], number | number[], boolean][] = [
    ['a conv bias gradient [8, 26, 26, 16] over [0, 1, 2]', [8, 26, 26, 16], [0, 1, 2], false],
    ['keepDims, axes unsorted and negative', [4, 20, 20, 8], [2, -4, 1], true],
    ['2-D over axis 0', [3000, 4], 0, false],
    ['a single row', [1, 12], 0, false],
    ['channels not in fours (backend’s own Sum)', [64, 10], 0, false],
    ['not the leading axes (backend’s own Sum)', [4, 20, 20, 4], [1, 2], false],
  ];
  for (const [name, shape, axis, keepDims] of cases) {
    it(name, async () => {
      await expectSameAsCpu('Sum', { x: { shape } }, { axis, keepDims });
    });
  }
  it('sums a tensor that Conv2DBackpropFilter already used as a matmul operand', async () => {
    await selectBackend('wasm');
    await tf.setBackend('wasm');
    const x = tf.tensor4d(valuesFor([12, 12, 12, 2], 1), [12, 12, 12, 2]);
    const dy = tf.tensor4d(valuesFor([12, 10, 10, 8], 2), [12, 10, 10, 8]);
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: 1,
      pad: 'valid',
      dataFormat: 'NHWC',
      filterShape: [3, 3, 2, 8],
    } as never) as tf.Tensor;
    const got = tf.sum(dy, [0, 1, 2]).dataSync();
    tf.dispose([x, dy, dw]);
    const want = await runOn(
      'cpu',
      'Sum',
      { x: { shape: [12, 10, 10, 8], values: valuesFor([12, 10, 10, 8], 2) } },
      { axis: [0, 1, 2], keepDims: false },
    );
    for (let i = 0; i < 8; i++)
      expect(Math.abs(got[i] - want.values[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.values[i])));
  });
});

describe('Add on wasm (a bias vector added to every row, in the SIMD kernel)', () => {
  const cases: [string, number[], number[]][] = [
    ['conv output + bias', [8, 26, 26, 16], [16]],
    ['bias + rows (vector first)', [12], [40, 10, 12]],
    ['2-D rows', [2000, 4], [4]],
    ['channels not in fours (backend’s own Add)', [100, 70, 3], [3]],
    ['same shapes (backend’s own Add)', [64, 26, 26, 4], [64, 26, 26, 4]],
    ['small (backend’s own Add)', [4, 8], [8]],
  ];
  for (const [name, aShape, bShape] of cases) {
    it(name, async () => {
      await expectSameAsCpu('Add', { a: { shape: aShape }, b: { shape: bShape } }, {});
    });
  }
});

describe('Tile on wasm (whole-input repeats copied in blocks)', () => {
  const cases: [string, number[], number[], ('float32' | 'int32')?][] = [
    ['a BatchNorm gradient’s 1/σ [1, 1, 1, C] to [N, H, W, C]', [1, 1, 1, 5], [3, 4, 6, 1]],
    ['a row vector to rows, an odd count', [1, 7], [13, 1]],
    ['int32', [1, 1, 3], [2, 5, 1], 'int32'],
    ['a size-1 axis between repeats (still whole)', [1, 1, 4], [3, 2, 1]],
    ['repeats after the data (backend’s own Tile)', [3, 1], [1, 4]],
    ['repeats of an axis with data (backend’s own Tile)', [2, 3], [2, 2]],
    ['no repeats', [2, 3], [1, 1]],
  ];
  for (const [name, shape, reps, dtype] of cases) {
    it(name, async () => {
      await expectSameAsCpu(
        'Tile',
        { x: { shape, dtype, values: dtype === 'int32' ? [4, -2, 9] : undefined } },
        {
          reps,
        },
      );
    });
  }
});

describe('UnsortedSegmentSum on wasm', () => {
  it('sums rows into segments, repeated ids included', async () => {
    await expectSameAsCpu(
      'UnsortedSegmentSum',
      { x: { shape: [6, 3] }, segmentIds: { shape: [6], dtype: 'int32', values: [2, 0, 2, 4, 0, 1] } },
      {
        numSegments: 5,
      },
    );
  });
});

describe("'same' convolutions with a stride longer than the window on wasm (explicit pads)", () => {
  const x = { shape: [2, 10, 9, 3] };
  const cases: [string, string, Inputs, object][] = [
    ['Conv2D 2×2 stride 3', 'Conv2D', { x, filter: { shape: [2, 2, 3, 4] } }, { strides: 3 }],
    ['Conv2D 2×1 strides [3, 2]', 'Conv2D', { x, filter: { shape: [2, 1, 3, 2] } }, { strides: [3, 2] }],
    [
      'FusedConv2D 1×1 stride 3 with bias and relu',
      'FusedConv2D',
      { x, filter: { shape: [1, 1, 3, 4] }, bias: { shape: [4] } },
      { strides: 3, activation: 'relu' },
    ],
    [
      'DepthwiseConv2dNative 2×2 stride 3',
      'DepthwiseConv2dNative',
      { x, filter: { shape: [2, 2, 3, 2] } },
      { strides: 3 },
    ],
    [
      'FusedDepthwiseConv2D 2×2 stride 3 with bias',
      'FusedDepthwiseConv2D',
      { x, filter: { shape: [2, 2, 3, 1] }, bias: { shape: [3] } },
      { strides: 3, activation: 'linear' },
    ],
  ];
  for (const [name, kernel, inputs, attrs] of cases) {
    it(name, async () => {
      const full = { pad: 'same', dilations: 1, dataFormat: 'NHWC', ...attrs };
      const want = await runOn('cpu', kernel, inputs, full);
      expect(want.values.some((v) => v !== 0)).toBe(true);
      await expectWasmGives(want, kernel, inputs, full);
    });
  }
});

describe('Conv2D of a one-channel input on wasm (SIMD kernel)', () => {
  const cases: [string, number[], number[], object][] = [
    ['3×3 valid, 16 channels', [2, 9, 8, 1], [3, 3, 1, 16], { strides: 1, pad: 'valid' }],
    ['3×2 stride 2 same, odd sizes, 8 channels', [2, 7, 9, 1], [3, 2, 1, 8], { strides: 2, pad: 'same' }],
    [
      '1×9 valid (a Conv1D on a signal), 16 channels',
      [3, 1, 40, 1],
      [1, 9, 1, 16],
      { strides: 1, pad: 'valid' },
    ],
    [
      '2×2 stride 3 same, 36 channels (32 at a time, then 4)',
      [2, 6, 7, 1],
      [2, 2, 1, 36],
      { strides: 3, pad: 'same' },
    ],
    ['5×5 same, 4 channels (taps past every edge)', [1, 4, 3, 1], [5, 5, 1, 4], { strides: 1, pad: 'same' }],
    [
      'explicit pads [1, 2] × [0, 3], strides [1, 2]',
      [2, 6, 5, 1],
      [3, 3, 1, 4],
      {
        strides: [1, 2],
        pad: [
          [0, 0],
          [1, 2],
          [0, 3],
          [0, 0],
        ],
      },
    ],
    [
      'dilation 2 (the backend’s kernel)',
      [2, 9, 9, 1],
      [3, 3, 1, 8],
      { strides: 1, pad: 'valid', dilations: 2 },
    ],
  ];
  for (const [name, xShape, filterShape, attrs] of cases) {
    it(name, async () => {
      const full = { dilations: 1, dataFormat: 'NHWC', ...attrs };
      await expectSameAsCpu('Conv2D', { x: { shape: xShape }, filter: { shape: filterShape } }, full);
    });
  }
});

describe('MaxPoolGrad on wasm (replaces the backend’s slow one)', () => {
  type Window = number | [number, number];
  const cases: [string, number[], Window, Window, 'valid' | 'same'][] = [
    ['2×2 stride 2', [2, 8, 8, 3], 2, 2, 'valid'],
    [
      '1×4 stride 4, 32 channels (MaxPooling1D of 4: tiles kernel, uncovered columns)',
      [3, 1, 54, 32],
      [1, 4],
      [1, 4],
      'valid',
    ],
    ['3×3 stride 3, 8 channels (tiles kernel, uncovered rows)', [2, 10, 9, 8], 3, 3, 'valid'],
    ['2×3 stride 2×3, 4 channels (tiles kernel)', [2, 6, 9, 4], [2, 3], [2, 3], 'valid'],
    ['2×2 stride 2 same, odd size, 4 channels (windows overhang the input)', [2, 7, 9, 4], 2, 2, 'same'],
    ['1×4 stride 4 same, 8 channels (windows overhang the input)', [2, 1, 10, 8], [1, 4], [1, 4], 'same'],
    ['3×3 stride 2 same (overlapping windows, padding)', [2, 7, 7, 2], 3, 2, 'same'],
    ['odd size, valid', [1, 9, 7, 4], 2, 2, 'valid'],
    ['2×2 stride 2, 8 channels (SIMD kernel)', [3, 10, 12, 8], 2, 2, 'valid'],
    ['2×2 stride 2, odd size, 4 channels (SIMD kernel, uncovered edge)', [2, 7, 9, 4], 2, 2, 'valid'],
    ['3×3 stride 3, valid (non-overlapping, not 2×2)', [2, 9, 9, 4], 3, 3, 'valid'],
  ];
  for (const [name, shape, filterSize, strides, pad] of cases) {
    it(name, async () => {
      await tf.setBackend('cpu');
      const x = tf.tensor4d(valuesFor(shape, 3), shape as [number, number, number, number]);
      const y = tf.maxPool(x, filterSize, strides, pad);
      const inputs: Inputs = {
        dy: { shape: y.shape },
        input: { shape, values: Array.from(x.dataSync()) },
        output: { shape: y.shape, values: Array.from(y.dataSync()) },
      };
      tf.dispose([x, y]);
      await expectSameAsCpu('MaxPoolGrad', inputs, { filterSize, strides, pad });
    });
  }
  it('ties (ReLU zeros) route the gradient to the first maximum, as the cpu backend does', async () => {
    const shape = [2, 6, 6, 3];
    const values = valuesFor(shape, 5).map((v) => Math.max(0, v - 0.8));
    const y = { shape: [2, 3, 3, 3] };
    await expectSameAsCpu(
      'MaxPoolGrad',
      { dy: y, input: { shape, values }, output: y },
      { filterSize: 2, strides: 2, pad: 'valid' },
    );
    await expectSameAsCpu(
      'MaxPoolGrad',
      { dy: { shape: [2, 3, 3, 3] }, input: { shape, values }, output: y },
      { filterSize: 3, strides: 2, pad: 'same' },
    );
  });
  it('ties route to the first maximum in the tiles kernel (every tie pattern of a 1×4 window)', async () => {
    // As below for a 1×4 window: channel ch has the (equal) max at position t when bit t of ch is set.
    const shape = [2, 1, 8, 16];
    const values: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let w = 0; w < 8; w++)
        for (let ch = 0; ch < 16; ch++) values.push((ch >> (w % 4)) & 1 ? 0.5 + n : -0.25 * w);
    const y = { shape: [2, 1, 2, 16] };
    await expectSameAsCpu(
      'MaxPoolGrad',
      { dy: y, input: { shape, values }, output: y },
      { filterSize: [1, 4], strides: [1, 4], pad: 'valid' },
    );
  });
  it('ties route to the first maximum in the SIMD kernel too (every tie pattern of a 2×2 window)', async () => {
    // 16 channels = every subset of the 4 window positions holding the (equal) maximum, 0 elsewhere:
    // channel ch has the max at position t when bit t of ch is set; channel 0 is an all-zero window.
    const shape = [2, 4, 4, 16];
    const values: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let h = 0; h < 4; h++)
        for (let w = 0; w < 4; w++)
          for (let ch = 0; ch < 16; ch++)
            values.push((ch >> ((h % 2) * 2 + (w % 2))) & 1 ? 0.5 + n : -0.25 * (h + w));
    const y = { shape: [2, 2, 2, 16] };
    await expectSameAsCpu(
      'MaxPoolGrad',
      { dy: y, input: { shape, values }, output: y },
      { filterSize: 2, strides: 2, pad: 'valid' },
    );
    const relu = valuesFor(shape, 7).map((v) => Math.max(0, v - 0.8));
    await expectSameAsCpu(
      'MaxPoolGrad',
      { dy: y, input: { shape, values: relu }, output: y },
      { filterSize: 2, strides: 2, pad: 'valid' },
    );
  });
});

describe('Conv3DBackpropInputV2 on wasm (replaces the backend’s wrong one)', () => {
  const cases: [string, number[], number[], number | [number, number, number], 'valid' | 'same'][] = [
    ['3×3×3 valid, 4 → 3 channels', [2, 5, 6, 7, 4], [3, 3, 3, 4, 3], 1, 'valid'],
    ['2×3×2 stride 2 same, odd sizes', [2, 7, 5, 3, 1], [2, 3, 2, 1, 2], 2, 'same'],
    ['3×1×2 strides 1×2×3 valid', [1, 6, 7, 8, 2], [3, 1, 2, 2, 5], [1, 2, 3], 'valid'],
  ];
  for (const [name, inputShape, filterShape, strides, pad] of cases) {
    it(name, async () => {
      const c = tf.backend_util.computeConv3DInfo(
        inputShape as [number, number, number, number, number],
        filterShape as [number, number, number, number, number],
        strides,
        1,
        pad,
      );
      await expectSameAsCpu(
        'Conv3DBackpropInputV2',
        { dy: { shape: c.outShape }, filter: { shape: filterShape } },
        { strides, pad, inputShape },
      );
    });
  }
});

describe('the project’s WebAssembly kernels', () => {
  it('the committed binaries are the .wat files assembled, every build (npm run build:kernels after an edit)', async () => {
    for (const { target, text } of await assembleAll()) expect(readFileSync(target, 'utf8')).toBe(text);
  });
});
