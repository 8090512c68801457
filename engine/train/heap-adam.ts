// Adam for one-thread training on WebAssembly (host-step.ts) on the backend's own heap. The host
// optimizer (parallel/host-optimizer.ts) works on host arrays, which costs this path a copy of every
// gradient and weight out of the heap, two into and out of the optimizer's memory and an upload of
// the new weights, each with fresh allocations: on an MLP more than the update itself. Here the
// gradients are gathered heap to heap next to the weights and both moments, the same SIMD kernel
// (kernels.wat adamStep) updates them in place, and each variable is given a new heap tensor with its
// slice. The weights stay in place between steps; they are gathered again only when a variable was
// given a value by anything else (its data is no longer the tensor this step assigned). Same
// kernel, same constants: the same numbers as the host optimizer, and tfjs' Adam's to float rounding.
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
  // The kernel takes floats in fours; the padding stays zero (no gradient, no update).
  const total = Math.ceil(sizes.reduce((a, s) => a + s, 0) / 4) * 4;
  const buffer = allocF32(backend, [4 * total]);
  const floats = () => new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
  const base = heapOffset(backend, buffer) / 4;
  const [W, G, M, V] = [0, 1, 2, 3].map((i) => base + i * total);
  floats().fill(0, base, base + 4 * total);
  let accBeta1 = Math.fround(o.beta1);
  let accBeta2 = Math.fround(o.beta2);
  let assigned: object[] = [];
  return {
    apply(grads) {
      const stale = variables.some((v, i) => v.dataId !== assigned[i]);
      let mem = floats();
      let at = 0;
      variables.forEach((v, i) => {
        const g = heapOffset(backend, grads[i]) / 4;
        mem.copyWithin(G + at, g, g + sizes[i]);
        if (stale) {
          const w = heapOffset(backend, v) / 4;
          mem.copyWithin(W + at, w, w + sizes[i]);
        }
        at += sizes[i];
      });
      const c = adamConstants(o, accBeta1, accBeta2);
      k.adamStep(W * 4, G * 4, M * 4, V * 4, total, c.b1, c.b2, c.c1, c.c2, c.d1, c.d2, c.eps, c.step);
      accBeta1 = Math.fround(accBeta1 * c.b1);
      accBeta2 = Math.fround(accBeta2 * c.b2);
      const next = variables.map((v) => allocF32(backend, v.shape));
      mem = floats(); // the allocations may have grown the memory
      at = 0;
      next.forEach((t, i) => {
        mem.copyWithin(heapOffset(backend, t) / 4, W + at, W + at + sizes[i]);
        at += sizes[i];
      });
      tf.tidy(() =>
        variables.forEach((v, i) => v.assign(tf.engine().makeTensorFromTensorInfo(next[i], backend))),
      );
      assigned = variables.map((v) => v.dataId);
    },
    dispose: () => free(backend, buffer),
  };
}
