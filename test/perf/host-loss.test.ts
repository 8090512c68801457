// The host-side categorical cross-entropy of data-parallel training (engine/train/parallel/
// host-loss.ts) gives losses.ts' loss, metric and gradient, clipped predictions and ties included.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { lossFunction, metricFunction } from '../../engine/train/losses.ts';
import { categoricalCrossentropyOnHost } from '../../engine/train/parallel/host-loss.ts';

// 4 rows × 3 classes: ordinary probabilities, a 0 and a 1 (clipped: no gradient there), a tie.
const P = [0.2, 0.5, 0.3, 0, 1, 0, 0.6, 0.3, 0.1, 0.4, 0.4, 0.2];
const Y = [0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0];

function viaTfjs(p: tf.Tensor, y: tf.Tensor) {
  const lossFn = lossFunction(tf, 'categoricalCrossentropy');
  const { value, grads } = tf.variableGrads(() => tf.mul(lossFn(y, p), 3) as tf.Scalar, [p as tf.Variable]);
  const metric = metricFunction(tf, 'categoricalCrossentropy')(y, p);
  const out = {
    loss: value.dataSync()[0],
    metric: metric.dataSync()[0],
    grad: grads[(p as tf.Variable).name].dataSync(),
  };
  tf.dispose([value, metric, ...Object.values(grads)]);
  return out;
}

function onHost(p: tf.Tensor, y: tf.Tensor) {
  let metric = 0;
  const { value, grads } = tf.variableGrads(() => {
    const r = categoricalCrossentropyOnHost(tf, y, p);
    metric = r.metric;
    return tf.mul(r.loss, 3) as tf.Scalar;
  }, [p as tf.Variable]);
  const out = { loss: value.dataSync()[0], metric, grad: grads[(p as tf.Variable).name].dataSync() };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('categorical cross-entropy on the host', () => {
  it('matches losses.ts: loss, accuracy and the gradient (scaled upstream)', async () => {
    await selectBackend('wasm');
    const p = tf.variable(tf.tensor2d(P, [4, 3]));
    const y = tf.tensor2d(Y, [4, 3]);
    const want = viaTfjs(p, y);
    const before = tf.memory().numTensors;
    const got = onHost(p, y);
    expect(got.loss).toBeCloseTo(want.loss, 5);
    expect(got.metric).toBe(want.metric);
    expect(got.metric).toBe(0.5); // rows 0 and 3 right: the tie in row 3 goes to the first class, as argMax does
    expect(Array.from(got.grad).map((g) => (Math.abs(g) < 1e-12 ? 0 : g))).toEqual(
      Array.from(want.grad).map((g) => expect.closeTo(g, 5)),
    );
    expect(want.grad[3]).toBe(0); // clipped at 0: no gradient, on both paths
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([p, y]);
  });

  it('adds nothing for a zero target, a NaN prediction there included, as tfjs on wasm does', async () => {
    await selectBackend('wasm');
    const p = tf.variable(tf.tensor2d([0.2, NaN, 0.8, 0.5, 0.25, 0.25], [2, 3]));
    const y = tf.tensor2d([1, 0, 0, 0, 1, 0], [2, 3]);
    const want = viaTfjs(p, y);
    const got = onHost(p, y);
    expect(want.loss).toBeCloseTo(-3 * ((Math.log(0.2) + Math.log(0.25)) / 2), 5);
    expect(got.loss).toBeCloseTo(want.loss, 5);
    expect(Array.from(got.grad)).toEqual(Array.from(want.grad).map((g) => expect.closeTo(g, 5)));
    tf.dispose([p, y]);
  });
});
