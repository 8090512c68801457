// MaxPooling3D trains on the right gradient on every backend: a pool whose window is not a cube,
// with 'same' padding (windows overhanging the volume's end), against a gradient worked out by hand
// from the input: each window's output weight goes to its largest input. tfjs 4.22's own cpu, wasm
// and webgpu kernels each got this wrong in a different way (engine/kernels/max-pool3d-grad.ts,
// engine/backends/webgpu-kernel-fixes.ts).
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { mulberry32 } from '../../engine/random.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

const SHAPE = [2, 5, 5, 3, 2] as const; // batch, depth, height, width, channels
const POOL = [2, 3, 1] as const;
const rng = mulberry32(11);
const X = Float32Array.from({ length: SHAPE.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1);

/** Output sizes under 'same' padding with strides equal to the pool: ⌈in / k⌉, padding at the end. */
const OUT = [SHAPE[0], 3, 2, 3, SHAPE[4]];

function expectedGradient(): Float32Array {
  const [N, D, H, W, C] = SHAPE;
  const dx = new Float32Array(X.length);
  let weight = 1;
  for (let n = 0; n < N; n++)
    for (let od = 0; od < OUT[1]; od++)
      for (let oh = 0; oh < OUT[2]; oh++)
        for (let ow = 0; ow < OUT[3]; ow++)
          for (let c = 0; c < C; c++) {
            let best = -Infinity;
            let at = -1;
            for (let d = od * POOL[0]; d < Math.min(D, (od + 1) * POOL[0]); d++)
              for (let h = oh * POOL[1]; h < Math.min(H, (oh + 1) * POOL[1]); h++)
                for (let w = ow * POOL[2]; w < Math.min(W, (ow + 1) * POOL[2]); w++) {
                  const i = (((n * D + d) * H + h) * W + w) * C + c;
                  if (X[i] > best) [best, at] = [X[i], i];
                }
            dx[at] += weight++;
          }
  return dx;
}

describe('MaxPooling3D gradient with a non-cubic window and same padding', () => {
  it.each(['js', 'wasm', 'webgpu'] as const)(
    'on %s equals the gradient worked out by hand',
    async (choice) => {
      const { tf } = await selectBackend(choice);
      if (choice === 'webgpu') tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
      const x = tf.tensor(X, [...SHAPE]);
      const weights = tf.range(1, 1 + OUT.reduce((a, b) => a * b, 1)).reshape(OUT);
      const f = (t: typeof x) =>
        tf.sum(tf.mul(tf.maxPool3d(t as never, [...POOL], [...POOL], 'same'), weights));
      const dx = tf.grad(f)(x);
      const got = await dx.data();
      tf.dispose([x, weights, dx]);
      expect(Array.from(got)).toEqual(Array.from(expectedGradient()));
    },
  );
});
