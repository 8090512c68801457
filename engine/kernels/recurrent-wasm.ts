// What the fused LSTM and GRU share on the WebAssembly backend (fused-lstm-wasm.ts,
// fused-gru-wasm.ts): the saved activations live on the backend's heap as engine tensors (saved
// with the op, so the engine frees them after backpropagation, or at the end of the tidy when no
// gradient is taken), laid out time-major so every timestep is one contiguous block of rows that the
// SIMD step kernels (simd/recurrent.wat: the gates, and the recurrent products) read in place.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, heapF32 } from './wasm-heap.ts';
import { heapOffset, recurrentKernels, type RecurrentKernels } from './simd/module.ts';
import type { FusedRecurrent } from './recurrent-host.ts';

/** The heap, its SIMD step kernels and the helpers a fused recurrent op needs on it. */
export interface RecurrentHeap {
  k: RecurrentKernels;
  backend: BackendWasm;
  /** A new engine tensor on the heap, zero-filled or uninitialised. */
  tensor(shape: number[], zero?: boolean): tf.Tensor;
  /** A tensor's byte offset on the heap. */
  at(t: tf.TensorInfo): number;
  /** The whole heap as floats (re-take it after any allocation: growing the memory detaches it). */
  floats(): Float32Array;
}

/** The heap helpers where the SIMD path applies (wasm backend with SIMD, at least 4 units), else null. */
export function recurrentHeap(units: number): RecurrentHeap | null {
  if (tf.getBackend() !== 'wasm' || units < 4) return null;
  const backend = tf.backend() as BackendWasm;
  const k = recurrentKernels(backend);
  if (!k) return null;
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  return {
    k,
    backend,
    at,
    tensor: (shape, zero = false) => {
      const info = allocF32(backend, shape);
      if (zero) heapF32(backend, info).fill(0);
      return tf.engine().makeTensorFromTensorInfo(info);
    },
    floats: () => new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer),
  };
}

/** A fused op's input, weights, the recurrent activation's kind and whether it returns every step. */
type RecurrentArgs = [
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  hard: boolean,
  returnSequences: boolean,
];
/** A fused op's heap path, which also reads the sequence from its end (goBackwards). */
export type RecurrentOnHeap = (
  h: RecurrentHeap,
  ...args: [...RecurrentArgs, goBackwards: boolean]
) => tf.Tensor;
/** A fused op's host loops, which run in time order. */
export type RecurrentOnHost = (...args: RecurrentArgs) => tf.Tensor;

/** The fused op that runs on the heap where the SIMD path applies, else in the host loops (on a
 *  reversed copy of the input for goBackwards). */
export function heapOrHost(onHeap: RecurrentOnHeap, onHost: RecurrentOnHost): FusedRecurrent {
  return (x, kernel, recurrentKernel, bias, rec, returnSequences, goBackwards) => {
    const hard = rec === 'hardSigmoid';
    const heap = recurrentHeap(recurrentKernel.shape[0]);
    if (heap) return onHeap(heap, x, kernel, recurrentKernel, bias, hard, returnSequences, goBackwards);
    const inTimeOrder = goBackwards ? (tf.reverse(x, 1) as tf.Tensor3D) : x;
    return onHost(inTimeOrder, kernel, recurrentKernel, bias, hard, returnSequences);
  };
}

/**
 * Rows of D floats between batch-major [B, T, D] and time-major [T, B, D], where time-major step s
 * is time T − 1 − s when `reverse` (a layer with goBackwards reads its sequence from the end).
 * `src` is a byte offset; returns a new tensor, [T·B, D] time-major or [B, T, D] batch-major.
 */
export function relayout(
  h: RecurrentHeap,
  src: number,
  [B, T, D]: [number, number, number],
  reverse: boolean,
  toTimeMajor: boolean,
): tf.Tensor {
  const out = h.tensor(toTimeMajor ? [T * B, D] : [B, T, D]);
  const mem = h.floats(); // taken after the allocation above
  const s0 = src / 4;
  const d0 = h.at(out) / 4;
  for (let n = 0; n < B; n++) {
    for (let t = 0; t < T; t++) {
      const tm = ((reverse ? T - 1 - t : t) * B + n) * D;
      const bm = (n * T + t) * D;
      if (toTimeMajor) mem.copyWithin(d0 + tm, s0 + bm, s0 + bm + D);
      else mem.copyWithin(d0 + bm, s0 + tm, s0 + tm + D);
    }
  }
  return out;
}

/** aᵀ · dz for dz [R, N] and the first R rows of a [≥ R, K] on the heap (a weight gradient summed
 *  over every row and timestep), read in place: [K, N]. */
export function transposedTimes(h: RecurrentHeap, a: tf.Tensor, dz: tf.Tensor): tf.Tensor2D {
  const [R, N] = dz.shape as [number, number];
  const K = a.shape[1] as number;
  const out = h.tensor([K, N]) as tf.Tensor2D;
  // In blocks of rows whose dz stays in cache across the passes over a's columns, each block added
  // to the sum so far in place (exact when every column group is a whole 4: N % 4 = 0).
  const block = N % 4 === 0 ? Math.max(64, Math.floor(32768 / N)) : R;
  for (let r0 = 0; r0 < R; r0 += block) {
    const rows = Math.min(block, R - r0);
    const base = r0 === 0 ? 0 : h.at(out);
    h.k.matAdd(h.at(a) + r0 * K * 4, h.at(dz) + r0 * N * 4, base, h.at(out), K, rows, N, 4, K * 4);
  }
  return out;
}

/** dz · wᵀ for dz [R, N] and w [K, N] (the input gradient through a kernel): [R, K]. */
export function timesTransposed(h: RecurrentHeap, dz: tf.Tensor, w: tf.Tensor): tf.Tensor2D {
  const [R, N] = dz.shape as [number, number];
  const K = w.shape[0];
  if (K < 4) return tf.matMul(dz as tf.Tensor2D, w as tf.Tensor2D, false, true); // matAdd needs 4 columns
  const wT = tf.transpose(w);
  const out = h.tensor([R, K]) as tf.Tensor2D;
  h.k.matAdd(h.at(dz), h.at(wT), 0, h.at(out), R, N, K, N * 4, 4);
  wT.dispose();
  return out;
}
