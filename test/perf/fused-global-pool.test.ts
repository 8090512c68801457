// GlobalAveragePooling1D and 2D in training on wasm as one op (engine/kernels/fused-global-pool.ts,
// simd/conv.wat meanSteps): the layer's output and its input gradient equal the cpu backend's over
// odd lengths and sizes and channels in fours; channels not in fours and channels first keep tfjs'
// path; a Conv1D → pool → Dense model takes it and trains to the cpu backend's losses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { fusedGlobalPoolCalls, setFusedGlobalPoolEnabled } from '../../engine/kernels/fused-global-pool.ts';

beforeAll(async () => {
  await selectBackend('wasm'); // registers the project's kernels and layer paths once
});
afterAll(async () => {
  setFusedGlobalPoolEnabled(true);
  await tf.setBackend('wasm');
});

const wave = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k) * 0.8);

/** The layer's output in training and the gradient of a weighted sum of it for x, on `backend`
 *  (a 3-D shape pools over steps, a 4-D one over rows and columns). */
async function run(
  shape: number[],
  backend: 'cpu' | 'wasm',
  dataFormat: 'channelsLast' | 'channelsFirst' = 'channelsLast',
): Promise<number[][]> {
  await tf.setBackend(backend);
  const layer =
    shape.length === 3
      ? tf.layers.globalAveragePooling1d()
      : tf.layers.globalAveragePooling2d({ dataFormat });
  return tf.tidy(() => {
    const x = tf.tensor(
      wave(
        shape.reduce((a, b) => a * b, 1),
        1,
      ),
      shape,
    );
    const f = (xs: tf.Tensor) => layer.apply(xs, { training: true }) as tf.Tensor;
    const y = f(x);
    const weights = tf.tensor(wave(y.size, 2), y.shape);
    const dx = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(f(xs), weights)))(x);
    return [Array.from(y.dataSync()), Array.from(dx.dataSync())];
  });
}

function expectClose(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const worst = Math.max(0, ...want.map((v, i) => Math.abs(v - got[i])));
  expect(worst, what).toBeLessThan(1e-6);
}

describe('Global average pooling in training on wasm', () => {
  /** The fused op runs (forward and gradient) and gives the cpu backend's output and input gradient. */
  async function expectFusedAsCpu(shape: number[]) {
    const want = await run(shape, 'cpu');
    const before = fusedGlobalPoolCalls();
    const got = await run(shape, 'wasm');
    expect(fusedGlobalPoolCalls() - before).toBe(2);
    expectClose(got[0], want[0], 'output');
    expectClose(got[1], want[1], 'input gradient');
  }

  it.each([
    [3, 17, 8],
    [2, 1, 4],
    [1, 9, 32],
    [4, 6, 12],
  ] as [number, number, number][])(
    "takes the fused op and gives the cpu backend's output and input gradient: %j",
    (...shape) => expectFusedAsCpu(shape),
  );

  it("keeps tfjs' path for channels not in fours, with the cpu backend's numbers", async () => {
    const want = await run([2, 7, 6], 'cpu');
    const before = fusedGlobalPoolCalls();
    const got = await run([2, 7, 6], 'wasm');
    expect(fusedGlobalPoolCalls()).toBe(before);
    expectClose(got[0], want[0], 'output');
    expectClose(got[1], want[1], 'input gradient');
  });

  it.each([
    [3, 5, 7, 8],
    [2, 1, 1, 4],
    [1, 8, 8, 16],
    [4, 3, 2, 12],
  ])("GlobalAveragePooling2D takes the fused op and gives the cpu backend's numbers: %j", (...shape) =>
    expectFusedAsCpu(shape),
  );

  it.each([
    [[2, 3, 5, 6], 'channelsLast'],
    [[2, 4, 3, 5], 'channelsFirst'],
  ] as [number[], 'channelsLast' | 'channelsFirst'][])(
    "GlobalAveragePooling2D keeps tfjs' path for %j %s, with the cpu backend's numbers",
    async (shape, dataFormat) => {
      const want = await run(shape, 'cpu', dataFormat);
      const before = fusedGlobalPoolCalls();
      const got = await run(shape, 'wasm', dataFormat);
      expect(fusedGlobalPoolCalls()).toBe(before);
      expectClose(got[0], want[0], 'output');
      expectClose(got[1], want[1], 'input gradient');
    },
  );

  it("trains a Conv1D → pool → Dense model to the cpu backend's losses", async () => {
    const losses = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const m = tf.sequential({
        layers: [
          tf.layers.conv1d({ inputShape: [21, 2], filters: 8, kernelSize: 3, activation: 'relu' }),
          tf.layers.globalAveragePooling1d(),
          tf.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
      m.setWeights(m.getWeights().map((w, k) => tf.tensor(wave(w.size, k), w.shape)));
      const x = tf.tensor3d(wave(5 * 21 * 2, 5), [5, 21, 2]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], 'int32'), 3);
      const opt = tf.train.sgd(0.5);
      const out: number[] = [];
      for (let s = 0; s < 4; s++) {
        const loss = opt.minimize(
          () => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
          true,
        );
        out.push(loss!.dataSync()[0]);
        loss!.dispose();
      }
      tf.dispose([x, y]);
      m.dispose();
      opt.dispose();
      return out;
    };
    const want = await losses('cpu');
    const before = fusedGlobalPoolCalls();
    const got = await losses('wasm');
    expect(fusedGlobalPoolCalls() - before).toBe(4);
    expect(got[3]).toBeLessThan(got[0]);
    got.forEach((l, s) => expect(Math.abs(l - want[s]), `step ${s}`).toBeLessThan(1e-4));
  });
});
