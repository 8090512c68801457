// A ReLU Activation right after a BatchNormalization runs inside the fused BatchNormalization op on
// wasm (engine/kernels/batch-norm-relu-fold.ts, simd/batchnorm.wat): one training step through the
// trainer's share (engine/train/parallel/objective.ts) gives the cpu backend's loss, prediction and
// every weight's gradient, with the folded ReLU's kernel gone from the step, while a BatchNormalization
// whose output also feeds something else keeps its own ReLU; inference still applies every ReLU.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { objectiveFor, shareGradients } from '../../engine/train/parallel/objective.ts';
import { dag } from '../engine/graph-helpers.ts';

const SHAPE = [5, 7, 3];
const ROWS = 9;
const bn = { momentum: 0.5, epsilon: 0.001 };

// bn1's only consumer is r1 (folded); bn2 feeds r2 and the Add (not folded).
const GRAPH = dag(
  [
    ['in', 'Input', { shape: SHAPE }],
    ['c1', 'Conv2D', { filters: 8, kernelSize: 3, padding: 'same', useBias: false }],
    ['bn1', 'BatchNormalization', bn],
    ['r1', 'Activation', { activation: 'relu' }],
    ['c2', 'Conv2D', { filters: 8, kernelSize: 3, padding: 'same', useBias: false }],
    ['bn2', 'BatchNormalization', bn],
    ['r2', 'Activation', { activation: 'relu' }],
    ['add', 'Add', {}],
    ['gap', 'GlobalAveragePooling2D', {}],
    ['head', 'Dense', { units: 3, activation: 'softmax' }],
    ['out', 'Output', { loss: 'categoricalCrossentropy' }],
  ],
  [
    ['in', 'c1'],
    ['c1', 'bn1'],
    ['bn1', 'r1'],
    ['r1', 'c2'],
    ['c2', 'bn2'],
    ['bn2', 'r2'],
    ['r2', 'add', 0],
    ['bn2', 'add', 1],
    ['add', 'gap'],
    ['gap', 'head'],
    ['head', 'out'],
  ],
);

interface Step {
  loss: number;
  grads: number[][];
  predicted: number[];
  relus: number;
}

async function step(backend: 'cpu' | 'wasm'): Promise<Step> {
  await selectBackend('wasm'); // registers the project's kernels and layer paths once
  await tf.setBackend(backend);
  const { model } = withRandom(mulberry32(7), () => compileGraph(tf, GRAPH));
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const per = SHAPE.reduce((a, b) => a * b, 1);
  // Inputs off zero mean, so many normalised values fall on each side of the ReLU.
  const x = tf.tensor(
    Array.from({ length: ROWS * per }, (_, i) => 1 + Math.sin(i * 0.731) + 0.5 * Math.cos(i * 0.113)),
    [ROWS, ...SHAPE],
  );
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: ROWS }, (_, i) => i % 3),
      'int32',
    ),
    3,
  );
  let result: ReturnType<typeof shareGradients> | undefined;
  const profile = await tf.profile(() => {
    result = shareGradients(tf, model, variables, objectiveFor(tf, 'categoricalCrossentropy'), [x], y);
  });
  const { loss, grads } = result!;
  const predicted = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
  const out: Step = {
    loss,
    grads: grads.map((g) => Array.from(g.dataSync())),
    predicted,
    relus: profile.kernels.filter((k) => k.name === 'Relu').length,
  };
  tf.dispose([x, y, ...grads]);
  model.dispose();
  return out;
}

describe('ReLU folded into the fused BatchNormalization (training on wasm)', () => {
  it('matches the cpu backend, with the folded ReLU gone from the step', async () => {
    const want = await step('cpu');
    const got = await step('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(got.loss).toBeCloseTo(want.loss, 4);
    expect(got.grads.length).toBe(want.grads.length);
    want.grads.forEach((w, k) => {
      const scale = Math.max(1e-3, ...w.map(Math.abs));
      const worst = Math.max(...w.map((v, i) => Math.abs(v - got.grads[k][i]) / scale));
      expect(worst, `gradient ${k}`).toBeLessThan(2e-3);
    });
    const worst = Math.max(...want.predicted.map((v, i) => Math.abs(v - got.predicted[i])));
    expect(worst, 'prediction').toBeLessThan(1e-4);
    expect(want.relus).toBe(2);
    expect(got.relus).toBe(1); // r2 (bn2 also feeds the Add) keeps its own
  }, 60_000);
});
