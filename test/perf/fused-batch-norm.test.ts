// BatchNormalization in training on wasm (engine/kernels/fused-batch-norm.ts) gives what tfjs-layers'
// own BatchNormalization gives on the cpu backend: the output, the gradients of the input, γ and β,
// and the moving mean and variance after the step, on odd row counts, ranks 2–4 and an input far
// from zero mean. Channels not in fours keep tfjs' path on wasm (and still match).
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { fusedBatchNormCalls, setFusedBatchNormEnabled } from '../../engine/kernels/fused-batch-norm.ts';

afterAll(() => setFusedBatchNormEnabled(true));

const NAMES = ['output', 'd input', 'd gamma', 'd beta', 'moving mean', 'moving variance'];

async function run(backend: 'cpu' | 'wasm', shape: number[], offset: number): Promise<number[][]> {
  await selectBackend('wasm'); // registers the project's kernels and the fused layer path once
  await tf.setBackend(backend);
  const C = shape[shape.length - 1];
  const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const result = tf.tidy(() => {
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(
      Array.from({ length: size }, (_, i) => offset + Math.sin(i * 12.9898) * (1 + (i % C))),
      shape,
    );
    layer.apply(x); // build
    layer.setWeights([
      tf.tensor1d(Array.from({ length: C }, (_, c) => 0.5 + 0.1 * c)),
      tf.tensor1d(Array.from({ length: C }, (_, c) => Math.cos(c) * 0.3)),
      tf.tensor1d(Array.from({ length: C }, (_, c) => 0.2 * c)),
      tf.tensor1d(Array.from({ length: C }, (_, c) => 1 + 0.05 * c)),
    ]);
    const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    // A loss that weighs every output element differently, so every gradient term matters.
    const weights = tf.sin(tf.range(0, size).reshape(shape));
    const probe = (xi: tf.Tensor) =>
      tf.sum(tf.mul(layer.apply(xi, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
    const out = layer.apply(x, { training: true }) as tf.Tensor;
    const { grads } = tf.variableGrads(() => probe(x), [gamma, beta]);
    const dx = tf.grad(probe)(x);
    // Three training calls so far, each moving the averages.
    const [movingMean, movingVariance] = layer.nonTrainableWeights.map((w) => w.read());
    return [out, dx, grads[gamma.name], grads[beta.name], movingMean, movingVariance].map((t) =>
      Array.from(t.dataSync()),
    );
  });
  layer.dispose();
  return result;
}

describe('fused BatchNormalization (training) on wasm', () => {
  const cases: [string, number[], number, boolean][] = [
    ['rank 4, odd spatial sizes (105 rows, 8 channels)', [3, 5, 7, 8], 0, true],
    ['rank 2 (a Dense activation, 13 rows)', [13, 12], 0, true],
    ['rank 3, 20 channels', [2, 3, 20], 0, true],
    ['an input far from zero mean', [4, 3, 3, 16], 100, true],
    ['one row (zero variance)', [1, 4], 0, true],
    ['6 channels: tfjs path', [3, 4, 4, 6], 0, false],
  ];
  for (const [name, shape, offset, fused] of cases) {
    it(`matches the cpu backend: ${name}`, async () => {
      const want = await run('cpu', shape, offset);
      await selectBackend('wasm');
      const before = tf.memory().numTensors;
      const c0 = fusedBatchNormCalls();
      const got = await run('wasm', shape, offset);
      expect(tf.getBackend()).toBe('wasm');
      expect(fusedBatchNormCalls() > c0).toBe(fused);
      expect(tf.memory().numTensors).toBe(before);
      want.forEach((w, k) => {
        expect(got[k].length, NAMES[k]).toBe(w.length);
        const scale = Math.max(1, ...w.map(Math.abs));
        const worst = Math.max(...w.map((v, i) => Math.abs(v - got[k][i]) / scale));
        expect(worst, NAMES[k]).toBeLessThan(2e-4);
      });
    });
  }

  it('changes nothing in inference (the moving statistics, no update)', async () => {
    await selectBackend('wasm');
    const c0 = fusedBatchNormCalls();
    const layer = tf.layers.batchNormalization({});
    const y = tf.tidy(() => {
      const x = tf.ones([2, 4]);
      return Array.from((layer.apply(x) as tf.Tensor).dataSync());
    });
    expect(fusedBatchNormCalls()).toBe(c0);
    expect(y.every((v) => Math.abs(v - 1 / Math.sqrt(1 + 1e-3)) < 1e-5)).toBe(true);
    layer.dispose();
  });
});
