// What the fused LSTM and GRU share on the WebAssembly backend (fused-lstm-wasm.ts,
// fused-gru-wasm.ts): the saved activations live on the backend's heap as engine tensors (saved
// with the op, so the engine frees them after backpropagation, or at the end of the tidy when no
// gradient is taken), laid out time-major so every timestep is one contiguous block of rows that the
// SIMD step kernels (simd/recurrent.wat: the gates, and the recurrent products) read in place.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, heapF32 } from './wasm-heap.ts';
import { heapOffset, recurrentKernels, type RecurrentKernels } from './simd/module.ts';

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
