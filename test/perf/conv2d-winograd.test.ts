// The Winograd F(2×2, 3×3) and F(4×4, 3×3) Conv2D on WebAssembly (engine/kernels/conv2d-winograd.ts,
// simd/winograd.wat) gives the cpu backend's convolution over odd sizes, 'same', 'valid' and explicit
// padding, channel counts in fours, batches whose tiles end mid-block; its input and filter gradients
// (the input gradient is itself a Conv2D on this path) match the cpu backend's; convolutions it does
// not take pass to the backend's kernel. Both algorithms and both builds of the kernels are held to
// this.
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import {
  makeWinogradConv2D,
  setWinogradConv2D,
  setWinogradTile,
} from '../../engine/kernels/conv2d-winograd.ts';
import type { KernelFn } from '../../engine/kernels/wasm-heap.ts';
import { setSimdBuild, type SimdBuild } from '../../engine/kernels/simd/module.ts';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  pad: Pad;
  strides?: number;
  dilations?: number;
}

// Winograd's transforms round differently from the direct sum. Against a float64 direct convolution
// (values in ±1.5, 4–64 channels) the worst error measured 1.5e-7–3.7e-7 of the output's scale for
// F(2×2) (XNNPACK's 2e-7–1e-6) and 1.5e-6–6e-6 for F(4×4), whose transforms scale by up to 8 and
// 1/24: within 1e-5 of the output's scale for both; a wrong transform coefficient is off by ~1e-2.
const TOLERANCE = 1e-5;

function values(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => {
    const h = Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453;
    return (h - Math.floor(h)) * 3 - 1.5;
  });
}

function expectClose(got: Float32Array, want: Float32Array) {
  expect(got.length).toBe(want.length);
  let scale = 1;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
  expect(want.some((v) => Math.abs(v) > 0.1)).toBe(true);
}

/** The convolution and its input and filter gradients of Σ conv · r on one backend. */
async function convAndGrads(backend: 'cpu' | 'wasm', c: Case) {
  if (backend === 'wasm') await selectBackend('wasm');
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(c.x, 1), c.x);
    const f = tf.tensor4d(values(c.f, 2), c.f);
    const conv = (a: tf.Tensor4D, b: tf.Tensor4D) =>
      tf.conv2d(a, b, c.strides ?? 1, c.pad, 'NHWC', c.dilations ?? 1);
    const y = conv(x, f);
    const r = tf.tensor(values(y.shape, 3), y.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r)),
    )([x, f]);
    return {
      y: y.dataSync() as Float32Array,
      dx: dx.dataSync() as Float32Array,
      df: df.dataSync() as Float32Array,
    };
  });
}

/** The wrapper over a backend kernel that must not be reached, for cases it takes. */
function winogradOnly(): KernelFn {
  return makeWinogradConv2D(() => {
    throw new Error('passed through to the backend');
  });
}

function runWrapper(k: KernelFn, c: Case): Float32Array {
  const x = tf.tensor4d(values(c.x, 1), c.x);
  const f = tf.tensor4d(values(c.f, 2), c.f);
  const backend = tf.backend() as never;
  const out = k({
    inputs: { x, filter: f },
    backend,
    attrs: { strides: c.strides ?? 1, pad: c.pad, dilations: c.dilations ?? 1, dataFormat: 'NHWC' },
  });
  const t = tf.engine().makeTensorFromTensorInfo(out);
  const v = t.dataSync() as Float32Array;
  tf.dispose([x, f, t]);
  return v;
}

const TAKEN: Case[] = [
  { x: [2, 7, 9, 4], f: [3, 3, 4, 8], pad: 'same' },
  { x: [3, 8, 8, 16], f: [3, 3, 16, 16], pad: 'same' },
  { x: [1, 5, 6, 12], f: [3, 3, 12, 20], pad: 'valid' },
  {
    x: [2, 4, 5, 4],
    f: [3, 3, 4, 4],
    pad: [
      [0, 0],
      [2, 2],
      [2, 1],
      [0, 0],
    ],
  },
  // 5·7 = 35 tiles at 32 → 36 channels: blocks of 28 tiles, the last one odd.
  { x: [1, 9, 13, 32], f: [3, 3, 32, 36], pad: 'same' },
  // 81 tiles of 2×2 (blocks of 28, 28, 25), 25 of 4×4 (blocks of 12, 12, 1); 'valid' 15×15.
  { x: [1, 17, 17, 36], f: [3, 3, 36, 8], pad: 'valid' },
  {
    x: [2, 10, 11, 8],
    f: [3, 3, 8, 12],
    pad: [
      [0, 0],
      [0, 1],
      [1, 0],
      [0, 0],
    ],
  },
];

afterEach(() => {
  setWinogradConv2D(true);
  setWinogradTile(undefined);
  setSimdBuild(undefined);
});

describe('Winograd Conv2D on wasm', () => {
  // Both algorithms and both builds of winograd.wat: plain, and the fused multiply-add one where the
  // engine has relaxed SIMD.
  describe.each<[SimdBuild, 2 | 4]>([
    ['plain', 2],
    ['relaxed', 2],
    ['plain', 4],
    ['relaxed', 4],
  ])('%s build, F(m×m, 3×3) with m = %i', (build, m) => {
    it.each(TAKEN)('takes $x * $f ($pad) itself and matches the cpu backend', async (c) => {
      await selectBackend('wasm');
      setSimdBuild(build);
      setWinogradTile(m);
      const got = runWrapper(winogradOnly(), c);
      const want = await convAndGrads('cpu', c);
      expectClose(got, want.y);
    });

    it.each(TAKEN)(
      'trains $x * $f ($pad): its output and both gradients match the cpu backend',
      async (c) => {
        const want = await convAndGrads('cpu', c);
        setSimdBuild(build);
        setWinogradTile(m);
        const got = await convAndGrads('wasm', c);
        expectClose(got.y, want.y);
        expectClose(got.dx, want.dx);
        expectClose(got.df, want.df);
      },
    );
  });

  it.each<Case>([
    { x: [2, 8, 8, 3], f: [3, 3, 3, 8], pad: 'same' },
    { x: [2, 8, 8, 4], f: [3, 3, 4, 6], pad: 'same' },
    { x: [2, 9, 9, 4], f: [3, 3, 4, 8], pad: 'same', strides: 2 },
    { x: [2, 9, 9, 4], f: [3, 3, 4, 8], pad: 'same', dilations: 2 },
    { x: [2, 9, 9, 4], f: [5, 5, 4, 8], pad: 'same' },
  ])('leaves $x * $f (strides $strides, dilations $dilations) to the backend', async (c) => {
    await selectBackend('wasm');
    expect(() => runWrapper(winogradOnly(), c)).toThrow('passed through to the backend');
  });

  it('is in front of the wasm Conv2D', async () => {
    const c = TAKEN[1];
    await selectBackend('wasm');
    setWinogradConv2D(false);
    const backendOwn = (await convAndGrads('wasm', c)).y;
    setWinogradConv2D(true);
    const winograd = (await convAndGrads('wasm', c)).y;
    // Same values to float32 rounding, through different sums.
    expectClose(winograd, backendOwn);
    expect(winograd.some((v, i) => v !== backendOwn[i])).toBe(true);
  });
});
