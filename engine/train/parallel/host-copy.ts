// Tensors' values copied into one host array (e.g. all of a model's gradients end to end), on the
// WebAssembly backend straight from its heap: dataSync would allocate a fresh array per tensor at
// every training step.
import type * as tfjs from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32 } from '../../kernels/wasm-heap.ts';

/** out[offsets[i] …] = tensors[i]'s float32 values. */
export function copyInto(
  tf: typeof tfjs,
  tensors: readonly tfjs.Tensor[],
  out: Float32Array,
  offsets: readonly number[],
): void {
  const backend = tf.getBackend() === 'wasm' ? (tf.backend() as BackendWasm) : null;
  tensors.forEach((t, i) =>
    out.set(backend ? heapF32(backend, t) : (t.dataSync() as Float32Array), offsets[i]),
  );
}

/** Where each of these sizes starts when laid end to end, and their total. */
export function endToEnd(sizes: readonly number[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const n of sizes) {
    offsets.push(total);
    total += n;
  }
  return { offsets, total };
}
