// One-thread training on wasm runs Adam on the backend's heap (engine/train/heap-adam.ts, through
// host-step.ts). host-step.test.ts holds a whole run to tfjs' path; here: weights given by something
// else between steps (model.setWeights) are the ones the next step updates, as with tfjs' own Adam on
// the cpu backend, and disposing the step frees what it kept on the heap.
import { describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { chainGraph } from '../engine/graph-helpers.ts';
import { worstWeightDifference } from './weight-difference.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { hostStep } from '../../engine/train/host-step.ts';
import { lossFunction } from '../../engine/train/losses.ts';

const graph = chainGraph(
  [5],
  [
    ['Dense', { units: 7, activation: 'relu' }],
    ['Dense', { units: 3, activation: 'softmax' }],
  ],
);

const X = Array.from({ length: 9 * 5 }, (_, i) => Math.sin(i * 0.731));
const Y = Array.from({ length: 9 * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

/** Two Adam steps with the weights reset to their initial values in between; the final weights. */
async function twoStepsWithReset(backend: 'wasm' | 'js'): Promise<Float32Array[]> {
  const { tf } = await selectBackend(backend);
  const { model } = withRandom(mulberry32(11), () => compileGraph(tf, graph));
  const initial = model.getWeights().map((w) => tf.clone(w));
  const x = tf.tensor2d(X, [9, 5]);
  const y = tf.tensor2d(Y, [9, 3]);
  const optimizer = tf.train.adam(0.05);
  const host = backend === 'wasm' ? hostStep(tf, model, optimizer, 'categoricalCrossentropy')! : null;
  const loss = lossFunction(tf, 'categoricalCrossentropy');
  const step = () => {
    if (host) host.step([x], y);
    else
      tf.dispose(optimizer.minimize(() => loss(y, model.apply(x, { training: true }) as tfjs.Tensor)) ?? []);
  };
  step();
  model.setWeights(initial);
  step();
  host?.dispose();
  const out = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  tf.dispose([...initial, x, y]);
  optimizer.dispose();
  model.dispose();
  return out;
}

describe('Adam on the wasm heap (one-thread training)', () => {
  it("updates weights set between steps as tfjs' Adam does (cpu backend)", async () => {
    const want = await twoStepsWithReset('js');
    const got = await twoStepsWithReset('wasm');
    expect(got.length).toBe(want.length);
    expect(worstWeightDifference(got, want)).toBeLessThan(1e-5);
  }, 30_000);

  it('frees its heap memory when disposed', async () => {
    const { tf } = await selectBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const { model } = withRandom(mulberry32(2), () => compileGraph(tf, graph));
    const x = tf.tensor2d(X, [9, 5]);
    const y = tf.tensor2d(Y, [9, 3]);
    const optimizer = tf.train.adam(0.01); // holds two variables of its own
    const before = backend.numDataIds();
    const host = hostStep(tf, model, optimizer, 'categoricalCrossentropy')!;
    expect(backend.numDataIds()).toBe(before + 1); // weights, gradients and moments in one block
    host.step([x], y); // the first step may leave the engine's cached constants behind
    const held = backend.numDataIds();
    host.step([x], y);
    host.step([x], y);
    expect(backend.numDataIds()).toBe(held);
    host.dispose();
    expect(backend.numDataIds()).toBe(held - 1);
    optimizer.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});
