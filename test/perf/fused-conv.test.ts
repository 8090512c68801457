// The fused convolution op on wasm (engine/kernels/fused-conv.ts, simd/conv.wat): its output and the
// gradients of its input, filter and bias equal the cpu backend's convolution + bias + activation
// over strides, padding, odd sizes, relu/linear, with and without bias; Conv1D layers in training
// take it, a dilated one keeps tfjs' path, and a Conv1D model trains to the cpu backend's losses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import {
  fusedConv,
  fusedConvCalls,
  setDirectConv1d,
  setFusedConvEnabled,
} from '../../engine/kernels/fused-conv.ts';
import { trainableDilatedConv } from '../../engine/layers/atrous-conv.ts';
import { setSimdBuild, type SimdBuild } from '../../engine/kernels/simd/module.ts';

beforeAll(async () => {
  await selectBackend('wasm'); // registers the project's kernels and layer paths once
});
afterAll(async () => {
  setFusedConvEnabled(true);
  setDirectConv1d(true);
  setSimdBuild(undefined);
  await tf.setBackend('wasm');
});

const wave = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k) * 0.8);

interface Case {
  x: number[];
  filter: number[];
  strides: number[];
  pad: 'same' | 'valid';
  activation: 'linear' | 'relu';
  bias: boolean;
}

const CASES: Case[] = [
  { x: [3, 17, 5], filter: [3, 5, 8], strides: [1], pad: 'valid', activation: 'relu', bias: true },
  { x: [2, 19, 3], filter: [4, 3, 4], strides: [2], pad: 'same', activation: 'relu', bias: false },
  { x: [2, 23, 1], filter: [9, 1, 16], strides: [1], pad: 'same', activation: 'linear', bias: true },
  { x: [3, 21, 6], filter: [5, 6, 12], strides: [3], pad: 'valid', activation: 'linear', bias: false },
  { x: [2, 10, 2], filter: [2, 2, 4], strides: [3], pad: 'same', activation: 'relu', bias: true },
  { x: [3, 17, 8], filter: [3, 8, 4], strides: [1], pad: 'same', activation: 'relu', bias: true },
  { x: [2, 15, 4], filter: [5, 4, 8], strides: [1], pad: 'valid', activation: 'linear', bias: false },
  { x: [2, 12, 4], filter: [4, 4, 20], strides: [1], pad: 'same', activation: 'relu', bias: true },
  // Border rows ('same') over 16 output channels: the forward with odd and even tap counts, the
  // input gradient with 16 input channels.
  { x: [2, 11, 3], filter: [5, 3, 16], strides: [1], pad: 'same', activation: 'relu', bias: true },
  { x: [2, 14, 16], filter: [5, 16, 8], strides: [1], pad: 'same', activation: 'linear', bias: true },
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 8], strides: [1, 1], pad: 'valid', activation: 'relu', bias: true },
  { x: [1, 11, 9, 2], filter: [3, 2, 2, 4], strides: [2, 3], pad: 'same', activation: 'linear', bias: true },
  // Through Winograd (conv2d-winograd.ts): F(4×4) forward with an F(2×2) filter gradient at 13×14;
  // F(4×4) both at 16×17, 60 tiles in blocks of 56; F(2×2) both at 6×6.
  {
    x: [2, 13, 14, 12],
    filter: [3, 3, 12, 16],
    strides: [1, 1],
    pad: 'same',
    activation: 'relu',
    bias: true,
  },
  {
    x: [3, 16, 17, 8],
    filter: [3, 3, 8, 4],
    strides: [1, 1],
    pad: 'same',
    activation: 'linear',
    bias: false,
  },
  { x: [2, 8, 8, 4], filter: [3, 3, 4, 8], strides: [1, 1], pad: 'valid', activation: 'relu', bias: true },
];

/** The output and the gradients of a weighted sum of it for x, filter and bias on `backend`. */
async function run(c: Case, backend: 'cpu' | 'wasm'): Promise<number[][]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor(
      wave(
        c.x.reduce((a, b) => a * b),
        1,
      ),
      c.x,
    );
    const f = tf.tensor(
      wave(
        c.filter.reduce((a, b) => a * b),
        2,
      ),
      c.filter,
    );
    const b = tf.tensor1d(wave(c.filter[c.filter.length - 1], 3));
    const conv = (xs: tf.Tensor, fs: tf.Tensor, bs: tf.Tensor) => {
      if (backend === 'wasm') return fusedConv(xs, fs, c.bias ? bs : null, c.strides, c.pad, c.activation);
      let y =
        c.x.length === 3
          ? tf.conv1d(xs as tf.Tensor3D, fs as tf.Tensor3D, c.strides[0], c.pad)
          : tf.conv2d(xs as tf.Tensor4D, fs as tf.Tensor4D, c.strides as [number, number], c.pad);
      if (c.bias) y = tf.add(y, bs);
      return c.activation === 'relu' ? tf.relu(y) : y;
    };
    const y = conv(x, f, b);
    const weights = tf.tensor(wave(y.size, 4), y.shape);
    const loss = (...ts: tf.Tensor[]) => tf.sum(tf.mul(conv(ts[0], ts[1], ts[2] ?? b), weights));
    const grads = tf.grads(loss)(c.bias ? [x, f, b] : [x, f]);
    return [y, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

function expectClose(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const worst = Math.max(0, ...want.map((v, i) => Math.abs(v - got[i]) / Math.max(1, Math.abs(v))));
  expect(worst, what).toBeLessThan(1e-4);
}

// A Conv1D runs in conv.wat's conv1d (its input gradient too, at stride 1 with channels in fours),
// or through the backend's 2-D kernels with setDirectConv1d(false); a Conv2D always the latter.
// conv.wat in both builds: plain, and the fused multiply-add one (relaxed SIMD).
const MODES: [boolean, SimdBuild][] = [
  [true, 'plain'],
  [true, 'relaxed'],
  [false, 'relaxed'],
];
describe.each(MODES)(
  'the fused convolution op on wasm (direct Conv1D kernel: %s, %s build)',
  (direct, build) => {
    it.each(CASES.map((c) => [JSON.stringify(c), c] as const))(
      "gives the cpu backend's output and gradients: %s",
      async (_, c) => {
        const want = await run(c, 'cpu');
        setDirectConv1d(direct);
        setSimdBuild(build);
        const got = await run(c, 'wasm');
        setDirectConv1d(true);
        setSimdBuild(undefined);
        const names = ['output', 'input gradient', 'filter gradient', 'bias gradient'];
        want.forEach((w, k) => expectClose(got[k], w, names[k]));
        // relu zeroes some outputs: the mask is exercised, not vacuous.
        if (c.activation === 'relu') expect(want[0].some((v) => v === 0)).toBe(true);
      },
    );
  },
);

/** The model with fixed, varied weights (the same on every backend). */
function withWaveWeights(m: tf.LayersModel): tf.LayersModel {
  m.setWeights(
    m.getWeights().map((w, k) =>
      tf.tensor(
        wave(w.size, k).map((v) => v * 0.5),
        w.shape,
      ),
    ),
  );
  return m;
}

/** A Conv1D signal classifier, small: the `conv1d` benchmark's layers on a short signal. */
function conv1dModel(dilated: boolean): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv1d({ inputShape: [37, 1], filters: 8, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.conv1d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      // As the Conv1D spec builds it: a dilated layer computes through space-to-batch.
      trainableDilatedConv(
        tf,
        tf.layers.conv1d({ filters: 8, kernelSize: 3, dilationRate: dilated ? 2 : 1, useBias: false }),
      ),
      tf.layers.globalAveragePooling1d(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  return withWaveWeights(m);
}

/** A small CNN: a relu stem, a linear strided 'same' layer, and one with filters not in fours. */
function conv2dModel(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [11, 9, 2], filters: 8, kernelSize: 3, activation: 'relu' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 6, kernelSize: 2, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  return withWaveWeights(m);
}

/** Losses of a few SGD steps, and the kernels of the first one. */
async function train(backend: 'cpu' | 'wasm', dilated: boolean, rank2 = false) {
  await tf.setBackend(backend);
  const m = rank2 ? conv2dModel() : conv1dModel(dilated);
  const x = rank2
    ? tf.tensor4d(wave(6 * 11 * 9 * 2, 5), [6, 11, 9, 2])
    : tf.tensor3d(wave(6 * 37, 5), [6, 37, 1]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0, 2], 'int32'), 3);
  const opt = tf.train.sgd(0.5);
  const losses: number[] = [];
  let kernels: string[] = [];
  for (let s = 0; s < 4; s++) {
    const prof = await tf.profile(() => {
      const loss = opt.minimize(
        () => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      );
      losses.push(loss!.dataSync()[0]);
      loss!.dispose();
    });
    if (s === 0) kernels = prof.kernels.map((k) => k.name);
  }
  tf.dispose([x, y]);
  m.dispose();
  opt.dispose();
  return { losses, kernels };
}

const count = (ks: string[], name: string) => ks.filter((k) => k === name).length;

describe('Conv1D and Conv2D layers in training on wasm', () => {
  it("take the fused op and train to the cpu backend's losses", async () => {
    const want = await train('cpu', false);
    const before = fusedConvCalls();
    const got = await train('wasm', false);
    expect(fusedConvCalls() - before).toBe(3 * 4);
    expect(got.losses[3]).toBeLessThan(got.losses[0]);
    got.losses.forEach((l, s) => expect(Math.abs(l - want.losses[s]), `step ${s}`).toBeLessThan(1e-4));
    // The first layer's input is the data: its gradient is never computed.
    expect(count(got.kernels, 'NetwrightConvGradInput')).toBe(2);
    expect(count(got.kernels, 'NetwrightConvGradFilter')).toBe(3);
  });

  it("take the fused op for Conv2D with filters in fours, with the cpu backend's losses", async () => {
    const want = await train('cpu', false, true);
    const before = fusedConvCalls();
    const got = await train('wasm', false, true);
    expect(fusedConvCalls() - before).toBe(2 * 4);
    expect(got.losses[3]).toBeLessThan(got.losses[0]);
    got.losses.forEach((l, s) => expect(Math.abs(l - want.losses[s]), `step ${s}`).toBeLessThan(1e-4));
    expect(count(got.kernels, 'NetwrightConvGradInput')).toBe(1);
    expect(count(got.kernels, 'NetwrightConvGradFilter')).toBe(2);
  });

  it("keeps tfjs' path for a dilated Conv1D, with the cpu backend's losses", async () => {
    const want = await train('cpu', true);
    const before = fusedConvCalls();
    const got = await train('wasm', true);
    expect(fusedConvCalls() - before).toBe(2 * 4);
    got.losses.forEach((l, s) => expect(Math.abs(l - want.losses[s]), `step ${s}`).toBeLessThan(1e-4));
  });

  it('matches the path it replaces when turned off', async () => {
    setFusedConvEnabled(false);
    const before = fusedConvCalls();
    const off = await train('wasm', false);
    setFusedConvEnabled(true);
    expect(fusedConvCalls()).toBe(before);
    const on = await train('wasm', false);
    on.losses.forEach((l, s) => expect(Math.abs(l - off.losses[s]), `step ${s}`).toBeLessThan(1e-5));
    expect(off.kernels.filter((k) => k.startsWith('NetwrightConv'))).toEqual([]);
  });
});
