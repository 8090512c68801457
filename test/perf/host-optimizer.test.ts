// The host-side optimizer update of data-parallel training (engine/train/parallel/
// host-optimizer.ts: Adam in the project's SIMD kernel, or in JavaScript; momentum; SGD) moves
// weights as tfjs' own optimizer does, step after step (to float rounding: 1e-6 relative), per
// variable and on all variables end to end with the row-weighted mean of two threads' gradients.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { hostOptimizer, jsAdamForTests } from '../../engine/train/parallel/host-optimizer.ts';

const SIZES = [7, 1, 30]; // not multiples of 4: the SIMD kernel's padding is exercised
const values = (n: number, seed: number, step = 0) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed * 3.1 + step * 0.37) * (seed + 1));

// Two threads' shares of an odd batch of 33 rows: 17 and 16.
const A = 17 / 33;
const B = 16 / 33;

/** flat: the update through applyFlat, of the two shares' gradients blended (A, B), tfjs given the
 *  blend; else through apply. */
async function compare(
  make: () => tf.Optimizer,
  host: (o: tf.Optimizer) => ReturnType<typeof hostOptimizer>,
  flat = false,
) {
  await selectBackend('wasm');
  const reference = make();
  const variables = SIZES.map((n, i) => tf.variable(tf.tensor1d(values(n, i))));
  const mirror = host(make())!;
  expect(mirror).not.toBeNull();
  const weights = SIZES.map((n, i) => values(n, i));
  const end = (xs: Float32Array[]) => Float32Array.from(xs.flatMap((x) => [...x]));
  const flatWeights = end(weights);
  let worst = 0;
  for (let step = 0; step < 20; step++) {
    const grads = SIZES.map((n, i) => values(n, i + 7, step));
    const second = SIZES.map((n, i) => values(n, i + 13, step));
    const blended = grads.map((g, i) => g.map((x, j) => x * A + second[i][j] * B));
    const named: tf.NamedTensorMap = {};
    variables.forEach((v, i) => (named[v.name] = tf.tensor1d(flat ? blended[i] : grads[i])));
    reference.applyGradients(named);
    tf.dispose(Object.values(named));
    if (flat) {
      mirror.applyFlat(flatWeights, end(grads), { grads: end(second), a: A, b: B });
      let at = 0;
      weights.forEach((w) => w.set(flatWeights.subarray(at, (at += w.length))));
    } else mirror.apply(weights, grads);
    variables.forEach((v, i) =>
      (v.dataSync() as Float32Array).forEach(
        (x, j) => (worst = Math.max(worst, Math.abs(x - weights[i][j]) / Math.max(1, Math.abs(x)))),
      ),
    );
  }
  tf.dispose(variables);
  reference.dispose();
  return worst;
}

describe('host optimizers match tfjs over 20 steps', () => {
  it('Adam in the SIMD kernel', async () => {
    expect(
      await compare(
        () => tf.train.adam(0.05),
        (o) => hostOptimizer(o, SIZES),
      ),
    ).toBeLessThan(1e-6);
  });
  it('Adam in JavaScript', async () => {
    const js = (o: tf.Optimizer) =>
      jsAdamForTests(o as unknown as Parameters<typeof jsAdamForTests>[0], SIZES);
    expect(await compare(() => tf.train.adam(0.05), js)).toBeLessThan(1e-6);
  });
  it('momentum', async () => {
    expect(
      await compare(
        () => tf.train.momentum(0.05, 0.9),
        (o) => hostOptimizer(o, SIZES),
      ),
    ).toBeLessThan(1e-6);
  });
  it('SGD', async () => {
    expect(
      await compare(
        () => tf.train.sgd(0.05),
        (o) => hostOptimizer(o, SIZES),
      ),
    ).toBeLessThan(1e-6);
  });
  for (const [name, make] of [
    ['Adam', () => tf.train.adam(0.05)],
    ['momentum', () => tf.train.momentum(0.05, 0.9)],
    ['SGD', () => tf.train.sgd(0.05)],
  ] as const) {
    it(`${name} on all variables end to end, of two shares' gradients (17 and 16 rows)`, async () => {
      expect(await compare(make, (o) => hostOptimizer(o, SIZES), true)).toBeLessThan(1e-6);
    });
  }
  it('Adam in JavaScript, of two shares', async () => {
    const js = (o: tf.Optimizer) =>
      jsAdamForTests(o as unknown as Parameters<typeof jsAdamForTests>[0], SIZES);
    expect(await compare(() => tf.train.adam(0.05), js, true)).toBeLessThan(1e-6);
  });
  it('leaves optimizers it does not cover, and ones that have stepped, to tfjs', async () => {
    await selectBackend('wasm');
    expect(hostOptimizer(tf.train.rmsprop(0.01), SIZES)).toBeNull();
    const stepped = tf.train.sgd(0.1);
    const v = tf.variable(tf.zeros([2]));
    stepped.applyGradients({ [v.name]: tf.ones([2]) });
    expect(hostOptimizer(stepped, [2])).toBeNull();
    tf.dispose(v);
  });
});
