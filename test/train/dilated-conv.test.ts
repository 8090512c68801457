// Dilated Conv1D/Conv2D train (engine/layers/atrous-conv.ts): the layer's output equals tfjs's own
// dilated convolution; the gradients of every weight and of the input equal central finite
// differences of an independent float64 convolution, and the wasm backend's equal the cpu backend's
// (a dilated Conv3D's on webgpu too, on SwiftShader);
// a real training run (one thread and the data-parallel split) completes with a finite loss.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { takeDeviceError } from '../../engine/backends/webgpu-errors.ts';
import { chainGraph, singleLayerGraph, type LayerParams } from '../engine/graph-helpers.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

interface Case {
  type: 'Conv1D' | 'Conv2D';
  input: number[];
  params: LayerParams;
}

const CASES: Case[] = [
  { type: 'Conv1D', input: [11, 2], params: { filters: 3, kernelSize: 3, dilationRate: 2 } },
  {
    type: 'Conv1D',
    input: [10, 3],
    params: { filters: 2, kernelSize: 2, dilationRate: 3, padding: 'same', activation: 'tanh' },
  },
  // linear activation: the fused conv2d path in tfjs
  { type: 'Conv2D', input: [7, 8, 2], params: { filters: 3, kernelSize: 3, dilationRate: 2 } },
  {
    type: 'Conv2D',
    input: [7, 9, 2],
    params: { filters: 2, kernelSize: [2, 3], dilationRate: [3, 2], padding: 'same', activation: 'tanh' },
  },
  {
    type: 'Conv2D',
    input: [6, 10, 1],
    params: { filters: 2, kernelSize: [1, 3], dilationRate: [1, 3], useBias: false, activation: 'sigmoid' },
  },
];

const ACT: Record<string, (v: number) => number> = {
  linear: (v) => v,
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};

const tupleOf = (v: unknown, n: number): number[] => (Array.isArray(v) ? v : Array(n).fill(v ?? 1));

/** A dilated NHWC convolution in float64 (Conv1D as height 1), written from the definition. */
function referenceConv(c: Case, x: Float64Array, xShape: number[], kernel: Float64Array, bias: Float64Array) {
  const rank = c.type === 'Conv1D' ? 1 : 2;
  const k = tupleOf(c.params.kernelSize, rank);
  const d = tupleOf(c.params.dilationRate, rank);
  const [kh, kw, dh, dw] = rank === 1 ? [1, k[0], 1, d[0]] : [k[0], k[1], d[0], d[1]];
  const [n, h, w, cin] = rank === 1 ? [xShape[0], 1, xShape[1], xShape[2]] : xShape;
  const f = c.params.filters as number;
  const same = c.params.padding === 'same';
  const [ph, pw] = same ? [Math.floor(((kh - 1) * dh) / 2), Math.floor(((kw - 1) * dw) / 2)] : [0, 0];
  const [oh, ow] = same ? [h, w] : [h - (kh - 1) * dh, w - (kw - 1) * dw];
  const act = ACT[(c.params.activation as string) ?? 'linear'];
  const y = new Float64Array(n * oh * ow * f);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < f; o++) {
          let s = bias.length ? bias[o] : 0;
          for (let u = 0; u < kh; u++)
            for (let v = 0; v < kw; v++) {
              const r = i + u * dh - ph;
              const q = j + v * dw - pw;
              if (r < 0 || r >= h || q < 0 || q >= w) continue;
              for (let ci = 0; ci < cin; ci++)
                s += kernel[((u * kw + v) * cin + ci) * f + o] * x[((b * h + r) * w + q) * cin + ci];
            }
          y[((b * oh + i) * ow + j) * f + o] = act(s);
        }
  return y;
}

const halfSumSquares = (y: Float64Array) => y.reduce((a, v) => a + 0.5 * v * v, 0);

/** Central differences of ½Σy² for every element of one of (x, kernel, bias), in float64. */
function finiteDifferences(
  c: Case,
  x: Float64Array,
  xShape: number[],
  kernel: Float64Array,
  bias: Float64Array,
  which: 0 | 1 | 2,
) {
  const arrays = [x, kernel, bias];
  const target = arrays[which];
  const eps = 1e-5;
  return Array.from(target, (orig, i) => {
    target[i] = orig + eps;
    const up = halfSumSquares(referenceConv(c, x, xShape, kernel, bias));
    target[i] = orig - eps;
    const down = halfSumSquares(referenceConv(c, x, xShape, kernel, bias));
    target[i] = orig;
    return (up - down) / (2 * eps);
  });
}

interface Gradients {
  y: Float32Array;
  x: Float32Array;
  weights: Float32Array[];
}

/** Output and gradients of ½Σy² w.r.t. the input and every trainable weight on the current backend. */
function gradientsOf(c: Case, xData: Float32Array, xShape: number[]): Gradients {
  const { model } = withRandom(mulberry32(5), () =>
    compileGraph(tf, singleLayerGraph([c.input], c.type, c.params)),
  );
  try {
    return tf.tidy(() => {
      const x = tf.tensor(xData, xShape);
      const y = model.predict(x) as tf.Tensor;
      const dx = tf.grad((xi: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(model.predict(xi) as tf.Tensor))))(
        x,
      );
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(
        () => tf.mul(0.5, tf.sum(tf.square(model.predict(x) as tf.Tensor))) as tf.Scalar,
        variables,
      );
      return {
        y: y.dataSync() as Float32Array,
        x: dx.dataSync() as Float32Array,
        weights: variables.map((v) => grads[v.name].dataSync() as Float32Array),
      };
    });
  } finally {
    model.dispose();
  }
}

const worstRelative = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale);
  return worst;
};

function inputFor(c: Case): { data: Float32Array; shape: number[] } {
  const shape = [2, ...c.input];
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) * 0.8), shape };
}

const label = (c: Case) => `${c.type} ${JSON.stringify(c.params)} on ${JSON.stringify(c.input)}`;

let wasmReady = false;
beforeAll(async () => {
  wasmReady = (await selectBackend('wasm')).id === 'wasm';
  expect(wasmReady).toBe(true);
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('dilated convolutions have gradients', () => {
  for (const c of CASES) {
    it(`${label(c)}: forward equals tfjs's dilated conv; gradients equal finite differences (cpu) and wasm equals cpu`, async () => {
      await tf.setBackend('cpu');
      const { data, shape } = inputFor(c);
      const cpu = gradientsOf(c, data, shape);

      // Reference forward + finite differences with the same weights, in float64.
      const { model } = withRandom(mulberry32(5), () =>
        compileGraph(tf, singleLayerGraph([c.input], c.type, c.params)),
      );
      const [kernelT, biasT] = model.getWeights();
      const kernel = Float64Array.from(kernelT.dataSync());
      const bias = Float64Array.from(biasT?.dataSync() ?? []);
      const native = tf.tidy(() => {
        // tfjs's own (untrainable) dilated convolution: a fresh layer of the same config and weights.
        const layer =
          c.type === 'Conv1D'
            ? tf.layers.conv1d(model.layers[1].getConfig() as never)
            : tf.layers.conv2d(model.layers[1].getConfig() as never);
        layer.apply(tf.tensor(data, shape)); // builds the weights
        layer.setWeights(model.getWeights());
        return (layer.apply(tf.tensor(data, shape)) as tf.Tensor).dataSync();
      });
      model.dispose();
      expect(worstRelative(cpu.y, native)).toBeLessThan(1e-5);
      const x64 = Float64Array.from(data);
      expect(worstRelative(cpu.y, referenceConv(c, x64, shape, kernel, bias))).toBeLessThan(1e-5);

      const want = [
        finiteDifferences(c, x64, shape, kernel, bias, 0),
        finiteDifferences(c, x64, shape, kernel, bias, 1),
        ...(bias.length ? [finiteDifferences(c, x64, shape, kernel, bias, 2)] : []),
      ];
      const got = [cpu.x, ...cpu.weights];
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expect(worstRelative(g, want[i]), `gradient ${i}`).toBeLessThan(1e-3));

      await tf.setBackend('wasm');
      const wasm = gradientsOf(c, data, shape);
      expect(worstRelative(wasm.y, cpu.y)).toBeLessThan(1e-5);
      [wasm.x, ...wasm.weights].forEach((g, i) =>
        expect(worstRelative(g, got[i]), `wasm gradient ${i}`).toBeLessThan(1e-4),
      );
    });
  }
});

describe('dilated Conv3D', () => {
  it("forward equals tfjs's dilated conv3d; gradients on wasm and webgpu equal cpu's", async () => {
    const c = {
      type: 'Conv3D',
      input: [5, 6, 5, 2],
      params: {
        filters: 2,
        kernelSize: [2, 2, 3],
        dilationRate: [2, 1, 2],
        padding: 'same',
        activation: 'tanh',
      },
    };
    const shape = [2, ...c.input];
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) =>
      Math.sin(i * 0.37),
    );
    const graph = singleLayerGraph([c.input], c.type, c.params);
    const run = async () => {
      const { model } = withRandom(mulberry32(5), () => compileGraph(tf, graph));
      try {
        const out = tf.tidy(() => {
          const x = tf.tensor(data, shape);
          const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
          const { grads } = tf.variableGrads(
            () => tf.sum(tf.square(model.predict(x) as tf.Tensor)) as tf.Scalar,
            variables,
          );
          const native = tf.layers.conv3d(model.layers[1].getConfig() as never);
          native.apply(x);
          native.setWeights(model.getWeights());
          return {
            y: model.predict(x) as tf.Tensor,
            native: native.apply(x) as tf.Tensor,
            grads: variables.map((v) => grads[v.name]),
          };
        });
        // data(), not dataSync(): WebGPU reads back asynchronously.
        const read = async (t: tf.Tensor) => (await t.data()) as Float32Array;
        const result = {
          y: await read(out.y),
          native: await read(out.native),
          grads: await Promise.all(out.grads.map(read)),
        };
        tf.dispose([out.y, out.native, ...out.grads]);
        return result;
      } finally {
        model.dispose();
      }
    };
    await tf.setBackend('cpu');
    const cpu = await run();
    expect(worstRelative(cpu.y, cpu.native)).toBeLessThan(1e-5);
    await tf.setBackend('wasm');
    const wasm = await run();
    expect(worstRelative(wasm.y, cpu.y)).toBeLessThan(1e-5);
    wasm.grads.forEach((g, i) => expect(worstRelative(g, cpu.grads[i]), `gradient ${i}`).toBeLessThan(1e-4));
    // tfjs-webgpu has no rank-5 SpaceToBatchND: the layer's own decomposition runs there instead.
    const gpu = await selectBackend('webgpu');
    const threshold = gpu.tf.env().get('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD');
    gpu.tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
    try {
      const webgpu = await run();
      expect(tf.getBackend()).toBe('webgpu');
      expect(worstRelative(webgpu.y, cpu.y)).toBeLessThan(1e-5);
      webgpu.grads.forEach((g, i) =>
        expect(worstRelative(g, cpu.grads[i]), `webgpu gradient ${i}`).toBeLessThan(1e-4),
      );
    } finally {
      gpu.tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', threshold);
    }
  });
});

describe('a dilated convolution trains end to end', () => {
  for (const dataParallel of [false, true]) {
    it(`Conv2D dilation 2 → Flatten → Dense, wasm, ${dataParallel ? 'batches split across 2 threads' : 'one thread'}`, async () => {
      await tf.setBackend('wasm');
      const graph = singleLayerGraph([[8, 8, 1]], 'Conv2D', {
        filters: 2,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'same',
      });
      graph.nodes.splice(
        2,
        0,
        { id: 'flat', type: 'Flatten', params: {} },
        { id: 'head', type: 'Dense', params: { units: 2 } },
      );
      graph.edges = [
        { id: 'a', source: 'in0', target: 'layer' },
        { id: 'b', source: 'layer', target: 'flat' },
        { id: 'c', source: 'flat', target: 'head' },
        { id: 'd', source: 'head', target: 'out' },
      ];
      const { model, layerOf } = withRandom(mulberry32(3), () => compileGraph(tf, graph));
      const before = layerOf.get('layer')!.getWeights()[0].dataSync().slice();
      const n = 16;
      const x = Float32Array.from({ length: n * 64 }, (_, i) => Math.sin(i * 0.21));
      const y = Float32Array.from({ length: n * 2 }, (_, i) => Math.cos(i * 0.9));
      const result = await trainLoop({
        tf,
        model,
        loss: 'meanSquaredError',
        train: { x: [{ data: x, shape: [n, 8, 8, 1] }], y: { data: y, shape: [n, 2] } },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 2,
        batchSize: 8,
        seed: 1,
        dataParallel,
      });
      expect(result.status, result.message).toBe('complete');
      expect(result.history.every((e) => Number.isFinite(e.loss))).toBe(true);
      const after = layerOf.get('layer')!.getWeights()[0].dataSync();
      expect(after.some((v, i) => Math.abs(v - before[i]) > 1e-6)).toBe(true);
      model.dispose();
    });
  }

  it('Conv3D dilation [2, 1, 2] with bias → Flatten → Dense, webgpu: no GPU error, the kernel moves', async () => {
    const { tf: gpuTf } = await selectBackend('webgpu');
    const graph = chainGraph(
      [6, 5, 6, 1],
      [
        ['Conv3D', { filters: 2, kernelSize: 2, dilationRate: [2, 1, 2], padding: 'same' }],
        ['Flatten', {}],
        ['Dense', { units: 2 }],
      ],
      'meanSquaredError',
    );
    const { model, layerOf } = withRandom(mulberry32(3), () => compileGraph(gpuTf, graph));
    const before = Array.from(await layerOf.get('n0')!.getWeights()[0].data());
    const n = 8;
    const x = Float32Array.from({ length: n * 180 }, (_, i) => Math.sin(i * 0.21));
    const y = Float32Array.from({ length: n * 2 }, (_, i) => Math.cos(i * 0.9));
    const result = await trainLoop({
      tf: gpuTf,
      model,
      loss: 'meanSquaredError',
      train: { x: [{ data: x, shape: [n, 6, 5, 6, 1] }], y: { data: y, shape: [n, 2] } },
      optimizer: { type: 'adam', learningRate: 0.01 },
      epochs: 2,
      batchSize: 4,
      seed: 1,
      takeDeviceError,
    });
    expect(gpuTf.getBackend()).toBe('webgpu');
    expect(result.status, result.message).toBe('complete');
    expect(result.history.every((e) => Number.isFinite(e.loss))).toBe(true);
    const after = await layerOf.get('n0')!.getWeights()[0].data();
    expect(after.some((v, i) => Math.abs(v - before[i]) > 1e-6)).toBe(true);
    model.dispose();
  });
});
