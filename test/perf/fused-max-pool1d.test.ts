// MaxPooling1D in training on wasm as one op (engine/kernels/fused-max-pool1d.ts, simd/conv.wat
// maxPool1d): the layer's output and its input gradient equal the cpu backend's, ties included (the
// gradient goes to a window's first maximum), with inputs the windows tile exactly or leave a tail;
// pools it does not take (strides ≠ pool, 'same', channels not in fours) keep tfjs' path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { fusedMaxPool1dCalls, setFusedMaxPool1dEnabled } from '../../engine/kernels/fused-max-pool1d.ts';

beforeAll(async () => {
  await selectBackend('wasm'); // registers the project's kernels and layer paths once
});
afterAll(async () => {
  setFusedMaxPool1dEnabled(true);
  await tf.setBackend('wasm');
});

// Values on a coarse grid, so windows hold equal maxima.
const grid = (n: number, k: number) =>
  Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 0.61 + k) * 3) / 3);

interface Case {
  x: [number, number, number];
  pool: number;
  strides?: number;
  padding?: 'valid' | 'same';
}

/** The layer's output in training and the gradient of a weighted sum of it for x, on `backend`. */
async function run(c: Case, backend: 'cpu' | 'wasm'): Promise<number[][]> {
  await tf.setBackend(backend);
  const layer = tf.layers.maxPooling1d({ poolSize: c.pool, strides: c.strides, padding: c.padding });
  return tf.tidy(() => {
    const x = tf.tensor3d(grid(c.x[0] * c.x[1] * c.x[2], 1), c.x);
    const f = (xs: tf.Tensor) => layer.apply(xs, { training: true }) as tf.Tensor;
    const y = f(x);
    const weights = tf.tensor(
      Array.from({ length: y.size }, (_, i) => 1 + (i % 7)),
      y.shape,
    );
    const dx = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(f(xs), weights)))(x);
    return [Array.from(y.dataSync()), Array.from(dx.dataSync())];
  });
}

const FUSED: Case[] = [
  { x: [3, 17, 8], pool: 4 },
  { x: [2, 12, 4], pool: 3 },
  { x: [2, 9, 12], pool: 2 },
  { x: [1, 5, 4], pool: 5 },
  { x: [2, 6, 16], pool: 1 },
];
const NOT_FUSED: Case[] = [
  { x: [2, 11, 8], pool: 3, strides: 2 },
  { x: [2, 10, 4], pool: 4, padding: 'same' },
  { x: [2, 12, 6], pool: 2 },
];

describe('MaxPooling1D in training on wasm', () => {
  it.each(FUSED.map((c) => [JSON.stringify(c), c] as const))(
    "takes the fused op and gives the cpu backend's output and input gradient: %s",
    async (_, c) => {
      const want = await run(c, 'cpu');
      const before = fusedMaxPool1dCalls();
      const got = await run(c, 'wasm');
      expect(fusedMaxPool1dCalls() - before).toBe(2);
      expect(got[0]).toEqual(want[0]);
      expect(got[1]).toEqual(want[1]);
    },
  );

  it.each(NOT_FUSED.map((c) => [JSON.stringify(c), c] as const))(
    "keeps tfjs' path where the op does not apply, with the cpu backend's numbers: %s",
    async (_, c) => {
      const want = await run(c, 'cpu');
      const before = fusedMaxPool1dCalls();
      const got = await run(c, 'wasm');
      expect(fusedMaxPool1dCalls()).toBe(before);
      expect(got).toEqual(want);
    },
  );

  it('matches the path it replaces when turned off', async () => {
    const c = FUSED[0];
    setFusedMaxPool1dEnabled(false);
    const off = await run(c, 'wasm');
    setFusedMaxPool1dEnabled(true);
    expect(await run(c, 'wasm')).toEqual(off);
  });
});
