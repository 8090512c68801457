// The project's Conv2DBackpropInput on WebAssembly (engine/kernels/conv2d-backprop-input.ts) gives the
// cpu backend's input gradient within 1e-5 (relative to the gradient's magnitude) over strides, dilations,
// padding, odd sizes, batch sizes and channel counts, through each of its paths (stride 1 as a
// convolution; the product and the SIMD scatter or its JavaScript twin, whole and cut into chunks); and a convnet's input gradient through a real model matches too.
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import {
  conv2DBackpropInput,
  setCol2imChunkFloats,
  setCol2imSimd,
  setStride1AsConv,
} from '../../engine/kernels/conv2d-backprop-input.ts';

const TOLERANCE = 1e-5;

function valuesFor(shape: number[], seed: number): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 1.5);
}

interface Case {
  inputShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same';
}

async function inputGradient(backend: 'cpu' | 'wasm', c: Case, dyShape: number[], filter: number[]) {
  if (backend === 'wasm') await selectBackend('wasm');
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const dy = tf.tensor(valuesFor(dyShape, 1), dyShape);
  const w = tf.tensor(filter, c.filterShape);
  const before = tf.memory().numTensors;
  const out = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    inputShape: c.inputShape,
  } as never) as tf.Tensor;
  const result = { shape: out.shape, values: Float32Array.from(out.dataSync()) };
  tf.dispose([out, dy, w]);
  expect(tf.memory().numTensors).toBe(before - 2);
  return result;
}

function expectClose(got: { shape: number[]; values: Float32Array }, want: typeof got) {
  expect(got.shape).toEqual(want.shape);
  // Relative to the gradient's largest magnitude: summing hundreds of taps in another order moves
  // an element that nearly cancels by ~1e-5 of the large ones, which is float32, not a wrong kernel.
  let scale = 1;
  for (const v of want.values) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.values.length; i++)
    worst = Math.max(worst, Math.abs(got.values[i] - want.values[i]) / scale);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
  // A gradient of all zeros would match a zero reference: make sure this one carries signal.
  expect(want.values.some((v) => Math.abs(v) > 0.1)).toBe(true);
}

async function expectSameAsCpu(c: Case) {
  const info = tf.backend_util.computeConv2DInfo(c.inputShape, c.filterShape, c.strides, 1, c.pad);
  const filter = valuesFor(c.filterShape, 2);
  const want = await inputGradient('cpu', c, info.outShape, filter);
  expectClose(await inputGradient('wasm', c, info.outShape, filter), want);
}

afterEach(() => {
  setCol2imChunkFloats(4 << 20);
  setCol2imSimd(true);
  setStride1AsConv('auto');
});

describe('Conv2DBackpropInput on wasm', () => {
  it('is the project’s kernel, not the backend’s own', async () => {
    await selectBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInput);
  });

  const cases: [string, Case][] = [
    [
      'the two-block convnet’s second convolution (32 → 64, 13×13, valid)',
      { inputShape: [2, 13, 13, 32], filterShape: [3, 3, 32, 64], strides: 1, pad: 'valid' },
    ],
    [
      'batch 1, 1 channel, same',
      { inputShape: [1, 7, 7, 1], filterShape: [3, 3, 1, 4], strides: 1, pad: 'same' },
    ],
    [
      'stride 2, same, 3 channels, odd size',
      { inputShape: [3, 9, 11, 3], filterShape: [3, 3, 3, 5], strides: 2, pad: 'same' },
    ],
    [
      'stride 2, valid, even kernel, odd size (uncovered last row and column)',
      { inputShape: [2, 10, 9, 5], filterShape: [2, 2, 5, 6], strides: 2, pad: 'valid' },
    ],
    [
      'stride 3, same, 7 channels',
      { inputShape: [2, 11, 10, 7], filterShape: [3, 3, 7, 3], strides: 3, pad: 'same' },
    ],
    [
      'stride 3, valid, kernel smaller than the stride (gaps no tap reaches)',
      { inputShape: [1, 10, 10, 4], filterShape: [2, 2, 4, 8], strides: 3, pad: 'valid' },
    ],
    [
      'mixed strides, rectangular kernel, 6 channels (SIMD plus a scalar rest)',
      { inputShape: [2, 8, 9, 6], filterShape: [2, 3, 6, 4], strides: [1, 2], pad: 'same' },
    ],
    [
      'even kernel, same (asymmetric padding)',
      { inputShape: [2, 6, 5, 8], filterShape: [4, 4, 8, 3], strides: 1, pad: 'same' },
    ],
    [
      'kernel as large as the input',
      { inputShape: [2, 5, 5, 3], filterShape: [5, 5, 3, 2], strides: 1, pad: 'valid' },
    ],
  ];
  for (const [name, c] of cases) {
    it(name, async () => {
      await expectSameAsCpu(c);
    });
    if (c.strides === 1)
      for (const mode of ['always', 'never'] as const)
        it(`${name} — ${mode === 'always' ? 'as a convolution' : 'product and SIMD scatter'}`, async () => {
          setStride1AsConv(mode);
          await expectSameAsCpu(c);
        });
    it(`${name} — JavaScript scatter`, async () => {
      setStride1AsConv('never');
      setCol2imSimd(false);
      await expectSameAsCpu(c);
    });
  }

  it('cuts a large batch into chunks', async () => {
    setCol2imChunkFloats(700);
    await expectSameAsCpu({ inputShape: [5, 9, 9, 4], filterShape: [3, 3, 4, 6], strides: 2, pad: 'same' });
    await expectSameAsCpu({ inputShape: [7, 6, 6, 3], filterShape: [3, 3, 3, 2], strides: 1, pad: 'valid' });
  });

  for (const mode of ['always', 'never'] as const)
    it(`dilation 2 equals the undilated gradient of the filter with zeros between its taps${mode === 'always' ? ' (as a convolution)' : ' (product path)'}`, async () => {
      setStride1AsConv(mode);
      // tfjs's own gradients never pass dilations to this kernel (dilated layers train through
      // space-to-batch, engine/layers/atrous-conv.ts), and the cpu kernel ignores them; the kernel
      // honours them, so the reference is the equivalent 5×5 filter on cpu.
      const inputShape: [number, number, number, number] = [2, 9, 8, 3];
      const small: [number, number, number, number] = [3, 3, 3, 4];
      const dyShape = [2, 5, 4, 4];
      const filter = valuesFor(small, 2);
      const dilated = new Array<number>(5 * 5 * 3 * 4).fill(0);
      for (let kh = 0; kh < 3; kh++)
        for (let kw = 0; kw < 3; kw++)
          for (let r = 0; r < 12; r++)
            dilated[(kh * 2 * 5 + kw * 2) * 12 + r] = filter[(kh * 3 + kw) * 12 + r];
      const want = await inputGradient(
        'cpu',
        { inputShape, filterShape: [5, 5, 3, 4], strides: 1, pad: 'valid' },
        dyShape,
        dilated,
      );
      await selectBackend('wasm');
      await tf.setBackend('wasm');
      const dy = tf.tensor(valuesFor(dyShape, 1), dyShape);
      const w = tf.tensor(filter, small);
      const out = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
        strides: 1,
        pad: 'valid',
        dataFormat: 'NHWC',
        inputShape,
        dilations: 2,
      } as never) as tf.Tensor;
      const got = { shape: out.shape, values: Float32Array.from(out.dataSync()) };
      tf.dispose([out, dy, w]);
      expectClose(got, want);
    });

  it('a two-block convnet’s gradient with respect to its input matches the cpu backend', async () => {
    const grad = async (backend: 'cpu' | 'wasm') => {
      if (backend === 'wasm') await selectBackend('wasm');
      await tf.setBackend(backend);
      const x = tf.tensor(valuesFor([3, 14, 14, 1], 3), [3, 14, 14, 1]);
      const w1 = tf.tensor(valuesFor([3, 3, 1, 8], 4), [3, 3, 1, 8]).mul(0.3);
      const w2 = tf.tensor(valuesFor([3, 3, 8, 12], 5), [3, 3, 8, 12]).mul(0.1);
      const g = tf.grad((input: tf.Tensor) => {
        const h = tf.maxPool(
          tf.relu(tf.conv2d(input as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same')),
          2,
          2,
          'valid',
        );
        return tf
          .conv2d(h, w2 as tf.Tensor4D, 2, 'same')
          .square()
          .sum();
      })(x);
      const r = { shape: g.shape, values: Float32Array.from(g.dataSync()) };
      tf.dispose([x, w1, w2, g]);
      return r;
    };
    expectClose(await grad('wasm'), await grad('cpu'));
  });
});
