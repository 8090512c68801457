// A Dense layer in training on wasm (engine/kernels/fused-dense.ts, simd/dense.wat) gives what
// tfjs-layers' own Dense gives on the cpu backend: the output and the gradients of the input, the
// kernel and the bias, for relu, linear and softmax (inside the op) and sigmoid (after it), with and
// without bias, odd sizes and a rank-3 input; a model of such layers trains to the cpu backend's
// losses and weights; inference keeps tfjs' path.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { fusedDenseCalls, setFusedDenseEnabled } from '../../engine/kernels/fused-dense.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { chainGraph } from '../engine/graph-helpers.ts';
import { worstWeightDifference } from './weight-difference.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';

afterAll(() => setFusedDenseEnabled(true));

const NAMES = ['output', 'd input', 'd kernel', 'd bias'];

interface Case {
  shape: number[];
  units: number;
  activation: 'relu' | 'linear' | 'softmax' | 'sigmoid';
  useBias: boolean;
}

/** The layer's output and its gradients under a loss that weighs every output differently. */
async function run(backend: 'cpu' | 'wasm', c: Case): Promise<number[][]> {
  await selectBackend('wasm'); // registers the project's kernels and the fused layer path once
  await tf.setBackend(backend);
  const K = c.shape[c.shape.length - 1];
  const layer = tf.layers.dense({ units: c.units, activation: c.activation, useBias: c.useBias });
  const result = tf.tidy(() => {
    const size = c.shape.reduce((a, b) => a * b, 1);
    // About half the pre-activations negative, so relu's mask matters.
    const x = tf.tensor(
      Array.from({ length: size }, (_, i) => Math.sin(i * 12.9898) * (1 + (i % 3))),
      c.shape,
    );
    layer.apply(x); // build
    const kernel = tf.tensor2d(
      Array.from({ length: K * c.units }, (_, i) => Math.cos(i * 0.37) * 0.5),
      [K, c.units],
    );
    const bias = tf.tensor1d(Array.from({ length: c.units }, (_, i) => 0.3 * Math.sin(i + 1)));
    layer.setWeights(c.useBias ? [kernel, bias] : [kernel]);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const outShape = [...c.shape.slice(0, -1), c.units];
    const weights = tf.sin(
      tf
        .range(
          0,
          outShape.reduce((a, b) => a * b, 1),
        )
        .reshape(outShape),
    );
    const probe = (xi: tf.Tensor) =>
      tf.sum(tf.mul(layer.apply(xi, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
    const out = layer.apply(x, { training: true }) as tf.Tensor;
    const { grads } = tf.variableGrads(() => probe(x), vars);
    const dx = tf.grad(probe)(x);
    return [out, dx, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
  });
  layer.dispose();
  return result;
}

describe('fused Dense (training) on wasm', () => {
  const cases: [string, Case][] = [
    [
      'relu, 13 rows, 7 → 9 units (odd sizes)',
      { shape: [13, 7], units: 9, activation: 'relu', useBias: true },
    ],
    ['relu without bias, 5 → 3 units', { shape: [6, 5], units: 3, activation: 'relu', useBias: false }],
    ['linear, 17 → 16 units', { shape: [11, 17], units: 16, activation: 'linear', useBias: true }],
    ['linear without bias', { shape: [9, 20], units: 6, activation: 'linear', useBias: false }],
    [
      'softmax head (inside the op), 10 classes',
      { shape: [7, 33], units: 10, activation: 'softmax', useBias: true },
    ],
    ['sigmoid, one unit', { shape: [5, 4], units: 1, activation: 'sigmoid', useBias: true }],
    ['relu on a rank-3 input [3, 5, 6]', { shape: [3, 5, 6], units: 5, activation: 'relu', useBias: true }],
    ['relu, 64 rows, 96 → 40 units', { shape: [64, 96], units: 40, activation: 'relu', useBias: true }],
  ];
  for (const [name, c] of cases) {
    it(`matches the cpu backend: ${name}`, async () => {
      const want = await run('cpu', c);
      await selectBackend('wasm');
      const before = tf.memory().numTensors;
      const c0 = fusedDenseCalls();
      const got = await run('wasm', c);
      expect(tf.getBackend()).toBe('wasm');
      expect(fusedDenseCalls()).toBeGreaterThan(c0);
      expect(tf.memory().numTensors).toBe(before);
      expect(got.map((g) => g.length)).toEqual(want.map((w) => w.length));
      // Each tensor to 1e-5 of its largest value (at least 1).
      want.forEach((w, k) =>
        expect(worstWeightDifference([got[k]], [w]) / Math.max(1, ...w.map(Math.abs)), NAMES[k]).toBeLessThan(
          1e-5,
        ),
      );
    });
  }

  it('changes nothing in inference (tfjs path)', async () => {
    await selectBackend('wasm');
    const c0 = fusedDenseCalls();
    const layer = tf.layers.dense({ units: 3, activation: 'relu', kernelInitializer: 'ones' });
    const y = tf.tidy(() => Array.from((layer.apply(tf.ones([2, 4])) as tf.Tensor).dataSync()));
    expect(fusedDenseCalls()).toBe(c0);
    expect(y).toEqual([4, 4, 4, 4, 4, 4]);
    layer.dispose();
  });
});

// Dense layers of every routed form in one model: relu with odd units, linear without bias, a
// softmax head; batch 16 over 45 rows (a last batch of 13).
const graph = chainGraph(
  [11],
  [
    ['Dense', { units: 13, activation: 'relu' }],
    ['Dense', { units: 8, activation: 'linear', useBias: false }],
    ['Dense', { units: 12, activation: 'relu' }],
    ['Dense', { units: 3, activation: 'softmax' }],
  ],
);

async function train(backend: 'wasm' | 'js') {
  const { tf: t } = await selectBackend(backend);
  const n = 45;
  const x = new Float32Array(n * 11).map((_, i) => Math.sin(i * 0.731) + Math.cos(i * 0.113));
  const y = new Float32Array(n * 3).map((_, i) =>
    i % 3 === Math.floor(i / 3 + Math.floor(i / 7)) % 3 ? 1 : 0,
  );
  const { model } = withRandom(mulberry32(7), () => compileGraph(t, graph));
  const c0 = fusedDenseCalls();
  const result = await trainLoop({
    tf: t,
    model,
    loss: 'categoricalCrossentropy',
    train: { x: [{ data: x, shape: [n, 11] }], y: { data: y, shape: [n, 3] } },
    optimizer: { type: 'adam', learningRate: 0.01 },
    epochs: 4,
    batchSize: 16,
    seed: 5,
  });
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  return { result, weights, fused: fusedDenseCalls() - c0 };
}

describe('a model of Dense layers trained on wasm', () => {
  it("trains the cpu backend's losses and weights", async () => {
    const want = await train('js');
    const got = await train('wasm');
    expect(want.fused).toBe(0);
    // 4 layers × 3 batches × 4 epochs, at least (evaluation runs in inference).
    expect(got.fused).toBeGreaterThanOrEqual(48);
    expect(got.result.status).toBe('complete');
    got.result.history.forEach((e, i) => expect(e.loss).toBeCloseTo(want.result.history[i].loss, 4));
    expect(worstWeightDifference(got.weights, want.weights)).toBeLessThan(1e-4);
  }, 60_000);
});
