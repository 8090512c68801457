// Add of a [..., C] tensor and a [C] vector (a Dense or convolution bias in the forward pass) on the
// WebAssembly backend, in the project's SIMD kernel (simd/kernels.wat addRowVector). The backend's
// Add takes its general broadcasting loop for this (bench/KERNEL-MEASUREMENTS.md). Every other Add
// passes straight to the backend's kernel.
import { allocF32, wrapWasmKernel, type KernelFn, type TensorInfo } from './wasm-heap.ts';
import { heapOffset, simdKernels } from './simd/module.ts';

// Below this many elements the backend's Add is as quick.
const MIN_SIZE = 4096;

function rowsAndVector(a: TensorInfo, b: TensorInfo): [TensorInfo, TensorInfo] | null {
  for (const [rows, vec] of [
    [a, b],
    [b, a],
  ] as const) {
    const C = vec.shape[0];
    if (
      vec.shape.length === 1 &&
      rows.shape.length >= 2 &&
      rows.shape[rows.shape.length - 1] === C &&
      C % 4 === 0
    )
      return [rows, vec];
  }
  return null;
}

export function makeAdd(original: KernelFn): KernelFn {
  return (args) => {
    const { a, b } = args.inputs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    const pair = rowsAndVector(a, b);
    if (!pair) return original(args);
    const [rows, vec] = pair;
    const size = rows.shape.reduce((p, d) => p * d, 1);
    if (size < MIN_SIZE) return original(args);
    const simd = simdKernels(args.backend);
    if (!simd) return original(args);
    const C = vec.shape[0];
    const out = allocF32(args.backend, rows.shape);
    simd.addRowVector(
      heapOffset(args.backend, rows),
      heapOffset(args.backend, vec),
      heapOffset(args.backend, out),
      size / C,
      C,
    );
    return out;
  };
}

/** Replace the wasm Add with the wrapper. */
export function registerWasmAdd(): void {
  wrapWasmKernel('Add', makeAdd);
}
