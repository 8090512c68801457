// BatchNormalization in training on the WebAssembly backend as one custom-gradient op. tfjs-layers
// computes the batch statistics with tf.moments and normalises with tf.batchNorm, and the gradient
// of that chain is ~20 broadcasting kernels per layer (Mean, Sub, Multiply, Tile, Sum, RealDiv…),
// each a full pass over the activation. Here the forward is three passes (sum, squared deviations,
// normalise) and the backward two (the two per-channel sums, then the input gradient), all in the
// project's SIMD kernels (simd/kernels.wat). Same equations, same weights and moving statistics, same
// layer class: saved models are unchanged. Channels must be the last axis and a multiple of 4;
// anything else (and inference, and other backends) keeps tfjs' own path.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { heapOffset, simdKernels } from './simd/module.ts';

const FORWARD = 'NetwrightBatchNormTrain';
const BACKWARD = 'NetwrightBatchNormTrainGrad';

interface Attrs {
  epsilon: number;
}

function rows(x: TensorInfo): { M: number; C: number } {
  const C = x.shape[x.shape.length - 1];
  return { M: x.shape.reduce((p, d) => p * d, 1) / C, C };
}

/** [y, mean, variance] of x [..., C] normalised over every axis but the last. */
function forwardKernel({ inputs, backend, attrs }: WasmKernelArgs<Attrs>): TensorInfo[] {
  const { x, gamma, beta } = inputs;
  const simd = simdKernels(backend)!;
  const { M, C } = rows(x);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const mean = allocF32(backend, [C]);
  const variance = allocF32(backend, [C]);
  const scale = allocF32(backend, [C]);
  const y = allocF32(backend, x.shape);
  simd.sumRows(at(x), at(mean), M, C);
  const mv = heapF32(backend, mean);
  for (let c = 0; c < C; c++) mv[c] /= M;
  simd.sumSqDev(at(x), at(mean), at(variance), M, C);
  const vv = heapF32(backend, variance);
  const sv = heapF32(backend, scale);
  const gv = heapF32(backend, gamma);
  for (let c = 0; c < C; c++) {
    vv[c] /= M;
    sv[c] = gv[c] / Math.sqrt(vv[c] + attrs.epsilon);
  }
  simd.affineRows(at(x), at(mean), at(scale), at(beta), at(y), M, C);
  free(backend, scale);
  return [y, mean, variance];
}

/** [dx, dγ, dβ] for upstream dy, from the forward's input, statistics and γ. */
function backwardKernel({ inputs, backend, attrs }: WasmKernelArgs<Attrs>): TensorInfo[] {
  const { dy, x, mean, variance, gamma } = inputs;
  const simd = simdKernels(backend)!;
  const { M, C } = rows(x);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const dBeta = allocF32(backend, [C]);
  const sdyx = allocF32(backend, [C]);
  const dGamma = allocF32(backend, [C]);
  const coef = allocF32(backend, [3, C]);
  const dx = allocF32(backend, x.shape);
  simd.bnGradSums(at(dy), at(x), at(mean), at(dBeta), at(sdyx), M, C);
  const sdy = heapF32(backend, dBeta);
  const sx = heapF32(backend, sdyx);
  const dg = heapF32(backend, dGamma);
  const k = heapF32(backend, coef);
  const vv = heapF32(backend, variance);
  const gv = heapF32(backend, gamma);
  // dx = γ·r·(dy − mean(dy) − x̂·mean(dy·x̂)) with r = 1/σ and x̂ = (x − μ)·r, as a·dy + b·(x − μ) + c.
  for (let c = 0; c < C; c++) {
    const r = 1 / Math.sqrt(vv[c] + attrs.epsilon);
    const a = gv[c] * r;
    dg[c] = sx[c] * r;
    k[c] = a;
    k[C + c] = (-a * r * r * sx[c]) / M;
    k[2 * C + c] = (-a * sdy[c]) / M;
  }
  const base = at(coef);
  simd.bnGradInput(at(dy), at(x), at(mean), base, base + 4 * C, base + 8 * C, at(dx), M, C);
  free(backend, sdyx);
  free(backend, coef);
  return [dx, dGamma, dBeta];
}

/** y = γ·(x − μ)/√(σ² + ε) + β over the batch statistics, with its gradient; μ and σ² are returned
 *  too (kept: the caller disposes them) for the moving averages. */
export function fusedBatchNorm(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  let stats: tf.Tensor[] = [];
  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mean, variance] = tf.engine().runKernel(FORWARD, { x: xt, gamma: g, beta: b }, {
      epsilon,
    } as never) as tf.Tensor[];
    save([xt, g, mean, variance]);
    stats = [tf.keep(mean), tf.keep(variance)];
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sg, sm, sv] = saved;
      return tf.engine().runKernel(BACKWARD, { dy, x: sx, mean: sm, variance: sv, gamma: sg }, {
        epsilon,
      } as never) as tf.Tensor[];
    };
    return { value: y, gradFunc };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  return { y, mean: stats[0], variance: stats[1] };
}

interface VariableLike {
  read(): tf.Tensor;
  write(t: tf.Tensor): void;
}

interface BatchNormLike {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma?: VariableLike;
  beta?: VariableLike;
  movingMean: VariableLike;
  movingVariance: VariableLike;
}

type CallFn = (
  this: BatchNormLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
) => tf.Tensor | tf.Tensor[];

/** The one input tensor when the fused path applies, else null. */
function fusable(
  layer: BatchNormLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
): tf.Tensor | null {
  if (kwargs?.training !== true || !enabled || tf.getBackend() !== 'wasm') return null;
  if (!simdKernels(tf.backend() as BackendWasm)) return null;
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
  if (!x || x.rank < 2 || x.dtype !== 'float32' || x.size === 0) return null;
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + x.rank;
  if (axis !== x.rank - 1 || x.shape[axis] % 4 !== 0) return null;
  if (!layer.center || !layer.scale || !layer.gamma || !layer.beta) return null;
  return x;
}

/** tfjs-layers' moving-average update: v ← v − (v − value)·(1 − momentum). */
function movingAverage(variable: VariableLike, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const orig = variable.read();
    variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), 1 - momentum)));
  });
}

let installed = false;
let enabled = true;
let calls = 0;

/** How many BatchNormalization calls took the fused path (tests check that it ran). */
export function fusedBatchNormCalls(): number {
  return calls;
}

/** Tests compare against tfjs' own path by turning the fused one off. */
export function setFusedBatchNormEnabled(on: boolean): void {
  enabled = on;
}

/** Register the two kernels on wasm and route tfjs-layers' BatchNormalization in training through
 *  fusedBatchNorm where it applies (idempotent). */
export function installFusedBatchNorm(): void {
  if (installed) return;
  installed = true;
  for (const [kernelName, fn] of [
    [FORWARD, forwardKernel],
    [BACKWARD, backwardKernel],
  ] as const) {
    if (!tf.getKernel(kernelName, 'wasm'))
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
  }
  const probe = tf.layers.batchNormalization({}) as unknown as {
    constructor: { prototype: { call: CallFn } };
  };
  const proto = probe.constructor.prototype;
  const original = proto.call;
  proto.call = function (this: BatchNormLike, inputs, kwargs) {
    const x = fusable(this, inputs, kwargs);
    if (!x) return original.call(this, inputs, kwargs);
    calls++;
    return tf.tidy(() => {
      const { y, mean, variance } = fusedBatchNorm(x, this.gamma!.read(), this.beta!.read(), this.epsilon);
      movingAverage(this.movingMean, mean, this.momentum);
      movingAverage(this.movingVariance, variance, this.momentum);
      tf.dispose([mean, variance]);
      return y;
    });
  };
}
