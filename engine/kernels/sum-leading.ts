// Sum over every axis but the last (a bias gradient: dy[N, H, W, C] → [C]) on the WebAssembly
// backend, as one pass of the project's SIMD kernel (simd/kernels.wat sumRows) over the rows. The
// backend's own Sum first transposes the reduced axes innermost; a matmul ones · dy would have
// XNNPACK pack all of dy (both slower: bench/KERNEL-MEASUREMENTS.md). Every other Sum, and channels
// not in fours, pass straight to the backend's kernel.
import * as tf from '@tensorflow/tfjs';
import { allocF32, wrapWasmKernel, type KernelFn } from './wasm-heap.ts';
import { heapOffset, simdKernels } from './simd/module.ts';

export function makeSum(original: KernelFn): KernelFn {
  return (args) => {
    const { x } = args.inputs;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const leading =
      rank >= 2 && axes.length === rank - 1 && [...axes].sort((a, b) => a - b).every((a, i) => a === i);
    const C = x.shape[rank - 1];
    const M = x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
    if (!leading || x.dtype !== 'float32' || M === 0 || C === 0 || C % 4 !== 0) return original(args);
    const simd = simdKernels(args.backend);
    if (!simd) return original(args);
    const shape = keepDims ? x.shape.map((d, i) => (i === rank - 1 ? d : 1)) : [C];
    const out = allocF32(args.backend, shape);
    simd.sumRows(heapOffset(args.backend, x), heapOffset(args.backend, out), M, C);
    return out;
  };
}

/** Replace the wasm Sum with the wrapper. */
export function registerWasmSum(): void {
  wrapWasmKernel('Sum', makeSum);
}
