// Conv2D layers with a linear activation in training on wasm (engine/kernels/conv-training-unfused.ts)
// give the cpu backend's loss gradients for every weight, and a model's first convolution no longer
// computes the gradient of its input (one Conv2DBackpropInput fewer per step). The fused convolution
// op (fused-conv.ts, tested in fused-conv.test.ts) takes such layers first; it is off here so this
// path, which layers with filters not in fours still take, is the one tested.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { setUnfusedConvTraining } from '../../engine/kernels/conv-training-unfused.ts';
import { setFusedConvEnabled } from '../../engine/kernels/fused-conv.ts';

beforeAll(() => setFusedConvEnabled(false));
afterAll(() => {
  setUnfusedConvTraining(true);
  setFusedConvEnabled(true);
});

function model(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [7, 6, 3], filters: 4, kernelSize: 3, padding: 'same' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
  m.setWeights(
    m.getWeights().map((w, k) =>
      tf.tensor(
        Array.from({ length: w.size }, (_, i) => Math.sin(i * 1.3 + k) * 0.4),
        w.shape,
      ),
    ),
  );
  return m;
}

/** The loss gradients of every weight, and the kernels one gradient step ran. */
async function step(backend: 'cpu' | 'wasm'): Promise<{ grads: number[][]; kernels: string[] }> {
  await selectBackend('wasm'); // registers the project's kernels and layer paths once
  await tf.setBackend(backend);
  const m = model();
  const x = tf.tensor4d(
    Array.from({ length: 2 * 7 * 6 * 3 }, (_, i) => Math.cos(i * 0.7)),
    [2, 7, 6, 3],
  );
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  let grads: number[][] = [];
  const prof = await tf.profile(() => {
    const { value, grads: g } = tf.variableGrads(
      () => tf.sum(tf.square(m.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
      vars,
    );
    grads = vars.map((v) => Array.from(g[v.name].dataSync()));
    tf.dispose([value, ...Object.values(g)]);
  });
  tf.dispose(x);
  m.dispose();
  return { grads, kernels: prof.kernels.map((k) => k.name) };
}

describe('Conv2D with a linear activation in training on wasm', () => {
  it("gives the cpu backend's gradients and skips the first layer's input gradient", async () => {
    const want = await step('cpu');
    const got = await step('wasm');
    expect(got.grads.map((g) => g.length)).toEqual(want.grads.map((g) => g.length));
    want.grads.forEach((w, k) => {
      const worst = Math.max(...w.map((v, i) => Math.abs(v - got.grads[k][i]) / Math.max(1, Math.abs(v))));
      expect(worst, `gradient ${k}`).toBeLessThan(1e-4);
    });
    const inputGrads = (ks: string[]) => ks.filter((k) => k === 'Conv2DBackpropInput').length;
    expect(inputGrads(got.kernels)).toBe(1);
    setUnfusedConvTraining(false);
    const fused = await step('wasm');
    setUnfusedConvTraining(true);
    expect(inputGrads(fused.kernels)).toBe(2);
  });
});
