// The host-side optimizer update of data-parallel training (engine/train/parallel/
// host-optimizer.ts: Adam in the project's SIMD kernel, or in JavaScript; momentum; SGD) moves
// weights as tfjs' own optimizer does, step after step (to float rounding: 1e-6 relative).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { hostOptimizer, jsAdamForTests } from '../../engine/train/parallel/host-optimizer.ts';

const SIZES = [7, 1, 30]; // not multiples of 4: the SIMD kernel's padding is exercised
const values = (n: number, seed: number, step = 0) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed * 3.1 + step * 0.37) * (seed + 1));

async function compare(
  make: () => tf.Optimizer,
  host: (o: tf.Optimizer) => ReturnType<typeof hostOptimizer>,
) {
  await selectBackend('wasm');
  const reference = make();
  const variables = SIZES.map((n, i) => tf.variable(tf.tensor1d(values(n, i))));
  const mirror = host(make())!;
  expect(mirror).not.toBeNull();
  const weights = SIZES.map((n, i) => values(n, i));
  let worst = 0;
  for (let step = 0; step < 20; step++) {
    const grads = SIZES.map((n, i) => values(n, i + 7, step));
    const named: tf.NamedTensorMap = {};
    variables.forEach((v, i) => (named[v.name] = tf.tensor1d(grads[i])));
    reference.applyGradients(named);
    tf.dispose(Object.values(named));
    mirror.apply(weights, grads);
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
