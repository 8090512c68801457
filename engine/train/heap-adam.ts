// Adam for one-thread training on WebAssembly (host-step.ts) on the backend's own heap. The host
// optimizer (parallel/host-optimizer.ts) works on host arrays, which costs this path a copy of every
// gradient and weight out of the heap, two into and out of the optimizer's memory and an upload of
// the new weights, each with fresh allocations: on an MLP more than the update itself. Here both
// moments live on the heap and the same SIMD kernel (kernels.wat adamStep) reads each variable's
// weights and gradient where they are and writes the new weights straight into the variable's next
// heap tensor: no gathering copies, and a variable given a value by anything else is simply read
// from there. Same kernel, same constants: the same numbers as the host optimizer, and tfjs' Adam's
// to float rounding.
import type * as tfjs from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapOffset, simdKernels } from '../kernels/simd/module.ts';
import { allocF32, free } from '../kernels/wasm-heap.ts';
import { adamConstants, type AdamFields } from './parallel/host-optimizer.ts';

export interface HeapOptimizer {
  /** One update of every variable from its gradient (a tensor on the backend, in variable order). */
  apply(grads: tfjs.Tensor[]): void;
  /** Frees the weights and moments on the heap. */
  dispose(): void;
}

let enabled = true;

/** Measurements compare with the host optimizer by turning this path off (bench/host-step-ab.ts). */
export function setHeapAdamEnabled(on: boolean): void {
  enabled = on;
}

/** The heap Adam for a fresh tfjs Adam on the wasm backend with SIMD, else null. */
export function heapAdam(
  tf: typeof tfjs,
  optimizer: tfjs.Optimizer,
  variables: tfjs.Variable[],
): HeapOptimizer | null {
  if (!enabled || optimizer.getClassName() !== 'Adam' || optimizer.iterations !== 0) return null;
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as BackendWasm;
  const k = simdKernels(backend);
  if (!k) return null;
  const o = optimizer as unknown as AdamFields;
  const sizes = variables.map((v) => v.size);
  // Both moments of each variable, each slice starting on 16 bytes (the kernel loads floats in fours).
  const starts: number[] = [];
  let total = 0;
  for (const size of sizes) {
    starts.push(total);
    total += Math.ceil(size / 4) * 4;
  }
  const buffer = allocF32(backend, [2 * total]);
  const base = heapOffset(backend, buffer) / 4;
  new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer).fill(
    0,
    base,
    base + 2 * total,
  );
  const [M, V] = [base, base + total];
  let accBeta1 = Math.fround(o.beta1);
  let accBeta2 = Math.fround(o.beta2);
  return {
    apply(grads) {
      const c = adamConstants(o, accBeta1, accBeta2);
      const next = variables.map((v, i) => {
        const t = allocF32(backend, v.shape);
        k.adamStep(
          heapOffset(backend, v),
          heapOffset(backend, grads[i]),
          (M + starts[i]) * 4,
          (V + starts[i]) * 4,
          sizes[i],
          c.b1,
          c.b2,
          c.c1,
          c.c2,
          c.d1,
          c.d2,
          c.eps,
          c.step,
          heapOffset(backend, t),
        );
        return t;
      });
      accBeta1 = Math.fround(accBeta1 * c.b1);
      accBeta2 = Math.fround(accBeta2 * c.b2);
      tf.tidy(() =>
        variables.forEach((v, i) => v.assign(tf.engine().makeTensorFromTensorInfo(next[i], backend))),
      );
    },
    dispose: () => free(backend, buffer),
  };
}
