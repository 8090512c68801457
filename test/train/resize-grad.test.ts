// UpSampling2D trains on the right gradient on every backend: nearest and bilinear resizing of a
// batch of two non-square images by [2, 3], the gradient compared with one summed by hand (each
// output's weight added to the input pixels it was read from, with bilinear's interpolation weights,
// as tfjs resizes: source = output / scale, no half-pixel shift). tfjs 4.22's cpu kernels got both
// wrong (engine/kernels/resize-grad.ts).
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { mulberry32 } from '../../engine/random.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

const [N, H, W, C] = [2, 3, 4, 2];
const [SH, SW] = [2, 3];
const OUT = [N, H * SH, W * SW, C];
const rng = mulberry32(5);
const X = Float32Array.from({ length: N * H * W * C }, () => rng() * 2 - 1);
const WEIGHTS = Float32Array.from({ length: OUT.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1);

/** The input positions and weights output position `i` of an axis reads. */
function taps(i: number, scale: number, size: number, bilinear: boolean): [number, number][] {
  const src = i / scale;
  const low = Math.floor(src);
  if (!bilinear) return [[low, 1]];
  const frac = src - low;
  return [
    [low, 1 - frac],
    [Math.min(low + 1, size - 1), frac],
  ];
}

function expectedGradient(bilinear: boolean): Float64Array {
  const dx = new Float64Array(X.length);
  let o = 0;
  for (let n = 0; n < N; n++)
    for (let i = 0; i < H * SH; i++)
      for (let j = 0; j < W * SW; j++)
        for (let c = 0; c < C; c++, o++)
          for (const [r, wr] of taps(i, SH, H, bilinear))
            for (const [s, ws] of taps(j, SW, W, bilinear))
              dx[((n * H + r) * W + s) * C + c] += WEIGHTS[o] * wr * ws;
  return dx;
}

describe('UpSampling2D gradients on a batch of non-square images', () => {
  const cases = (['js', 'wasm', 'webgpu'] as const).flatMap((b) => [
    [b, 'nearest'] as const,
    [b, 'bilinear'] as const,
  ]);
  it.each(cases)('on %s, %s, equal the gradient summed by hand', async (choice, interpolation) => {
    const { tf } = await selectBackend(choice);
    if (choice === 'webgpu') tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
    const x = tf.tensor(X, [N, H, W, C]);
    const weights = tf.tensor(WEIGHTS, OUT);
    const layer = tf.layers.upSampling2d({ size: [SH, SW], interpolation });
    const f = (t: typeof x) => tf.sum(tf.mul(layer.apply(t) as typeof x, weights));
    const dx = tf.grad(f)(x);
    expect(dx.shape).toEqual([N, H, W, C]);
    const got = await dx.data();
    const want = expectedGradient(interpolation === 'bilinear');
    tf.dispose([x, weights, dx]);
    const worst = Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i])));
    expect(worst).toBeLessThan(1e-5);
  });
});
