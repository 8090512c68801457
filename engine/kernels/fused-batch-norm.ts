// BatchNormalization in training on the WebAssembly backend as one op with a registered gradient. tfjs-layers
// computes the batch statistics with tf.moments and normalises with tf.batchNorm, and the gradient
// of that chain is ~20 broadcasting kernels per layer (Mean, Sub, Multiply, Tile, Sum, RealDiv…),
// each a full pass over the activation. Here the forward is three passes (sum, squared deviations,
// normalise) and the backward two (the two per-channel sums, then the input gradient), all in the
// project's SIMD kernels (simd/kernels.wat). Same equations, same weights and moving statistics, same
// layer class: saved models are unchanged. Channels must be the last axis and a multiple of 4;
// anything else (and inference, and other backends) keeps tfjs' own path. A ReLU Activation right
// after the layer is applied inside the op where batch-norm-relu-fold.ts marked the layer.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { batchNormReluKernels, heapOffset, simdKernels } from './simd/module.ts';
import { foldsRelu, installReluPassThrough, markReluApplied } from './batch-norm-relu-fold.ts';
import { activeBatchStatSync } from './batch-stat-sync.ts';
import { TrainingOpSwitch, registerWasmKernels, routeLayerCall, singleInput } from './layer-routing.ts';

const FORWARD = 'NetwrightBatchNormTrain';
const BACKWARD = 'NetwrightBatchNormTrainGrad';
const MOVING = 'NetwrightBatchNormMoving';

interface Attrs {
  epsilon: number;
  /** max(0, ·) on the output, and the gradient masked by output > 0 (batchnorm.wat). */
  relu: boolean;
}

function rows(x: TensorInfo): { M: number; C: number } {
  const C = x.shape[x.shape.length - 1];
  return { M: x.shape.reduce((p, d) => p * d, 1) / C, C };
}

/** [y, mean, variance] of x [..., C] normalised over every axis but the last (the whole batch's
 *  statistics when another thread holds the rest of the batch: activeBatchStatSync). */
function forwardKernel({ inputs, backend, attrs }: WasmKernelArgs<Attrs>): TensorInfo[] {
  const { x, gamma, beta } = inputs;
  const simd = simdKernels(backend)!;
  const { M, C } = rows(x);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const mean = allocF32(backend, [C]);
  const variance = allocF32(backend, [C]);
  const scale = allocF32(backend, [C]);
  const y = allocF32(backend, x.shape);
  const sync = activeBatchStatSync();
  simd.sumRows(at(x), at(mean), M, C);
  const mv = heapF32(backend, mean);
  const sums = sync ? Float64Array.from(mv) : null;
  for (let c = 0; c < C; c++) mv[c] /= M;
  simd.sumSqDev(at(x), at(mean), at(variance), M, C);
  const vv = heapF32(backend, variance);
  if (sync) {
    try {
      const whole = wholeBatchMoments(sync.exchange(FORWARD_TAG + C, partials(M, sums!, vv)), C);
      mv.set(whole.mean);
      vv.set(whole.variance);
    } catch (err) {
      for (const t of [mean, variance, scale, y]) free(backend, t);
      throw err;
    }
  } else for (let c = 0; c < C; c++) vv[c] /= M;
  const sv = heapF32(backend, scale);
  const gv = heapF32(backend, gamma);
  for (let c = 0; c < C; c++) sv[c] = gv[c] / Math.sqrt(vv[c] + attrs.epsilon);
  if (attrs.relu)
    batchNormReluKernels(backend)!.affineRowsRelu(at(x), at(mean), at(scale), at(beta), at(y), M, C);
  else simd.affineRows(at(x), at(mean), at(scale), at(beta), at(y), M, C);
  free(backend, scale);
  return [y, mean, variance];
}

const FORWARD_TAG = 1 << 20;
const BACKWARD_TAG = 2 << 20;

/** One thread's figures for the exchange: its row count, then two per-channel vectors. */
function partials(M: number, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(1 + 2 * a.length);
  out[0] = M;
  out.set(a, 1);
  out.set(b, 1 + a.length);
  return out;
}

/** The whole batch's mean and (biased) variance from each share's [rows, Σx, Σ(x − μₖ)²], where μₖ
 *  is the share's own mean as its kernel rounded it: Σ(x − μ)² = Σₖ Σ(x − μₖ)² + 2(μₖ − μ)(Σx − Mₖμₖ)
 *  + Mₖ(μₖ − μ)². */
export function wholeBatchMoments(
  parts: Float64Array[],
  C: number,
): { mean: Float64Array; variance: Float64Array } {
  const N = parts.reduce((n, p) => n + p[0], 0);
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (const p of parts) sum += p[1 + c];
    const mu = sum / N;
    let m2 = 0;
    for (const p of parts) {
      const Mk = p[0];
      const muK = Math.fround(p[1 + c] / Mk);
      const d = muK - mu;
      m2 += p[1 + C + c] + 2 * d * (p[1 + c] - Mk * muK) + Mk * d * d;
    }
    mean[c] = mu;
    variance[c] = Math.max(0, m2 / N);
  }
  return { mean, variance };
}

/** [dx, dγ, dβ] for upstream dy, from the forward's input, statistics and γ (and output y, whose
 *  positive entries are the ReLU's mask, with attrs.relu). dγ and dβ are this
 *  share's own sums (the trainer adds the shares' gradients, weighted by rows); dx needs the whole
 *  batch's Σdy and Σdy·(x − μ) when another thread holds the rest of it. */
function backwardKernel({ inputs, backend, attrs }: WasmKernelArgs<Attrs>): TensorInfo[] {
  const { dy, x, mean, variance, gamma, y } = inputs;
  const simd = simdKernels(backend)!;
  const masked = attrs.relu ? batchNormReluKernels(backend)! : null;
  const { M, C } = rows(x);
  const at = (t: TensorInfo) => heapOffset(backend, t);
  const dBeta = allocF32(backend, [C]);
  const sdyx = allocF32(backend, [C]);
  const dGamma = allocF32(backend, [C]);
  const coef = allocF32(backend, [3, C]);
  const dx = allocF32(backend, x.shape);
  if (masked) masked.bnReluGradSums(at(dy), at(y), at(x), at(mean), at(dBeta), at(sdyx), M, C);
  else simd.bnGradSums(at(dy), at(x), at(mean), at(dBeta), at(sdyx), M, C);
  const sdy = heapF32(backend, dBeta);
  const sx = heapF32(backend, sdyx);
  let whole: { sdy: ArrayLike<number>; sx: ArrayLike<number>; N: number } = { sdy, sx, N: M };
  const sync = activeBatchStatSync();
  if (sync) {
    try {
      whole = wholeBatchGradSums(sync.exchange(BACKWARD_TAG + C, partials(M, sdy, sx)), M, C);
    } catch (err) {
      for (const t of [dBeta, sdyx, dGamma, coef, dx]) free(backend, t);
      throw err;
    }
  }
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
    k[C + c] = (-a * r * r * whole.sx[c]) / whole.N;
    k[2 * C + c] = (-a * whole.sdy[c]) / whole.N;
  }
  const base = at(coef);
  if (masked)
    masked.bnReluGradInput(at(dy), at(y), at(x), at(mean), base, base + 4 * C, base + 8 * C, at(dx), M, C);
  else simd.bnGradInput(at(dy), at(x), at(mean), base, base + 4 * C, base + 8 * C, at(dx), M, C);
  free(backend, sdyx);
  free(backend, coef);
  return [dx, dGamma, dBeta];
}

/**
 * The whole batch's Σdy and Σdy·(x − μ) in this share's scale, from each share's [rows, Σdy,
 * Σdy·(x − μ)]. Each share's upstream gradient is that of its own mean loss, i.e. the batch loss's
 * scaled by (batch rows / share rows); the trainer weighs the shares' results by their rows again.
 * So share k's sums count Mₖ/N in the batch's, and this share's (M rows) view of them is
 * Σₖ Mₖ·sₖ / M (with one share, s itself).
 */
export function wholeBatchGradSums(
  parts: Float64Array[],
  M: number,
  C: number,
): { sdy: Float64Array; sx: Float64Array; N: number } {
  const N = parts.reduce((n, p) => n + p[0], 0);
  const sdy = new Float64Array(C);
  const sx = new Float64Array(C);
  for (const p of parts) {
    for (let c = 0; c < C; c++) {
      sdy[c] += p[0] * p[1 + c];
      sx[c] += p[0] * p[1 + C + c];
    }
  }
  for (let c = 0; c < C; c++) {
    sdy[c] /= M;
    sx[c] /= M;
  }
  return { sdy, sx, N };
}

// A registered gradient rather than tf.customGrad: the custom-gradient wrapper is a scope of its
// own around the one kernel (a tidy, clones of what it saves) on every call.
const gradient: tf.GradConfig = {
  kernelName: FORWARD,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [true, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, y, mean, variance] = saved;
    const { epsilon, relu } = attrs as unknown as Attrs;
    const dy = (dys as tf.Tensor[])[0];
    const inputs = { dy, x, mean, variance, gamma, ...(relu ? { y } : {}) };
    const [dx, dGamma, dBeta] = tf
      .engine()
      .runKernel(BACKWARD, inputs, { epsilon, relu } as never) as tf.Tensor[];
    return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
  },
};

/** y = γ·(x − μ)/√(σ² + ε) + β over the batch statistics (then max(0, y) with `relu`), with its
 *  gradient; μ and σ² are returned too (the caller disposes them) for the moving averages. */
export function fusedBatchNorm(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  relu = false,
): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  const [y, mean, variance] = tf.engine().runKernel(FORWARD, { x, gamma, beta }, {
    epsilon,
    relu,
  } as never) as tf.Tensor[];
  return { y, mean, variance };
}

interface VariableLike {
  read(): tf.Tensor;
  write(t: tf.Tensor): void;
}

interface BatchNormLike {
  name: string;
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

/** The one input tensor when the fused path applies, else null. */
function fusable(
  layer: BatchNormLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
): tf.Tensor | null {
  if (!opSwitch.admits(kwargs)) return null;
  if (!simdKernels(tf.backend() as BackendWasm)) return null;
  const x = singleInput(inputs);
  if (!x || x.rank < 2 || x.dtype !== 'float32' || x.size === 0) return null;
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + x.rank;
  if (axis !== x.rank - 1 || x.shape[axis] % 4 !== 0) return null;
  if (!layer.center || !layer.scale || !layer.gamma || !layer.beta) return null;
  return x;
}

/** Whether a built BatchNormalization layer takes the fused path in training on the current
 *  backend (so its batch statistics can be synchronised across threads: batch-stat-sync.ts). */
export function fusedBatchNormApplies(layer: object): boolean {
  if (!opSwitch.enabled || tf.getBackend() !== 'wasm' || !simdKernels(tf.backend() as BackendWasm))
    return false;
  const bn = layer as unknown as BatchNormLike;
  let shape: (number | null)[];
  try {
    shape = (layer as { outputShape: (number | null)[] }).outputShape; // the input's shape
  } catch {
    return false; // a layer applied to several inputs
  }
  if (!Array.isArray(shape) || Array.isArray(shape[0]) || shape.length < 2) return false;
  const axis = bn.axis >= 0 ? bn.axis : bn.axis + shape.length;
  const channels = shape[axis];
  return (
    axis === shape.length - 1 &&
    typeof channels === 'number' &&
    channels % 4 === 0 &&
    bn.center &&
    bn.scale &&
    !!bn.gamma &&
    !!bn.beta
  );
}

/** tfjs-layers' moving-average update v ← v − (v − value)·(1 − momentum) of the moving mean and
 *  variance, as one kernel instead of six: each step rounded to float32 as tfjs' Sub, Mul, Sub. */
function movingKernel({ inputs, backend, attrs }: WasmKernelArgs<{ momentum: number }>): TensorInfo[] {
  const pairs = [
    [inputs.movingMean, inputs.mean],
    [inputs.movingVariance, inputs.variance],
  ];
  const outs = pairs.map(([v]) => allocF32(backend, v.shape));
  const k = Math.fround(1 - attrs.momentum);
  pairs.forEach(([v, value], i) => {
    const o = heapF32(backend, outs[i]);
    const vv = heapF32(backend, v);
    const xv = heapF32(backend, value);
    for (let c = 0; c < o.length; c++) o[c] = vv[c] - Math.fround(Math.fround(vv[c] - xv[c]) * k);
  });
  return outs;
}

function updateMovingStats(layer: BatchNormLike, mean: tf.Tensor, variance: tf.Tensor): void {
  const inputs = { movingMean: layer.movingMean.read(), movingVariance: layer.movingVariance.read() };
  const [m, v] = tf.engine().runKernel(MOVING, { ...inputs, mean, variance }, {
    momentum: layer.momentum,
  } as never) as tf.Tensor[];
  layer.movingMean.write(m);
  layer.movingVariance.write(v);
}

let installed = false;
const opSwitch = new TrainingOpSwitch();

/** How many BatchNormalization calls took the fused path (tests check that it ran). */
export function fusedBatchNormCalls(): number {
  return opSwitch.calls;
}

/** Tests compare against tfjs' own path by turning the fused one off. */
export function setFusedBatchNormEnabled(on: boolean): void {
  opSwitch.enabled = on;
}

/** Register the two kernels on wasm and route tfjs-layers' BatchNormalization in training through
 *  fusedBatchNorm where it applies (idempotent). */
export function installFusedBatchNorm(): void {
  if (installed) return;
  installed = true;
  installReluPassThrough();
  registerWasmKernels([
    [FORWARD, forwardKernel],
    [BACKWARD, backwardKernel],
    [MOVING, movingKernel],
  ]);
  if (!tf.getGradient(FORWARD)) tf.registerGradient(gradient);
  routeLayerCall<BatchNormLike>(tf.layers.batchNormalization({}), (layer, inputs, kwargs) => {
    const x = fusable(layer, inputs, kwargs);
    if (!x) {
      // Another thread holds the rest of the batch: tfjs' own path would normalise this share by
      // its own statistics. The trainer's plan keeps such graphs on one thread (fusedBatchNormApplies).
      if (kwargs?.training === true && activeBatchStatSync())
        throw new Error(`${layer.name} cannot share its batch statistics between threads`);
      return null;
    }
    opSwitch.calls++;
    return tf.tidy(() => {
      const relu = foldsRelu(layer) && !!batchNormReluKernels(tf.backend() as BackendWasm);
      const gamma = layer.gamma!.read();
      const { y, mean, variance } = fusedBatchNorm(x, gamma, layer.beta!.read(), layer.epsilon, relu);
      if (relu) markReluApplied(y);
      updateMovingStats(layer, mean, variance);
      tf.dispose([mean, variance]);
      return y;
    });
  });
}
