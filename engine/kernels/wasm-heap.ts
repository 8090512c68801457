// Helpers for kernels that work on the tfjs WebAssembly backend's heap directly: tensors live in
// the wasm memory, and a kernel may read/write them as Float32Array views (as the backend's own
// JS-side kernels do) and call the backend's other kernels (XNNPACK matmul) without the engine.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;

export interface WasmKernelArgs<A = Record<string, unknown>> {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: A;
}

/** A Float32Array view of a tensor's data on the heap. Re-take it after any allocation: growing the
 *  wasm memory detaches older views. */
export function heapF32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Allocate an uninitialised float32 tensor on the heap. */
export function allocF32(backend: BackendWasm, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

export function free(backend: BackendWasm, t: TensorInfo): void {
  backend.disposeData(t.dataId);
}

/** The same heap data under another shape (what the wasm Reshape kernel returns, without a copy). */
export function withShape(backend: BackendWasm, t: TensorInfo, shape: number[]): TensorInfo {
  backend.incRef(t.dataId);
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

export type KernelFn = (args: WasmKernelArgs) => TensorInfo;

/**
 * Replace a wasm kernel by `make(original)`, keeping the original's setup (its cwrap). Wrapping twice
 * with the same `tag` is a no-op, so registering the project's kernels again (a second backend init)
 * is safe; wrappers with different tags stack.
 */
export function wrapWasmKernel(
  kernelName: string,
  make: (original: KernelFn) => KernelFn,
  tag = 'netwright',
): void {
  const orig = tf.getKernel(kernelName, 'wasm');
  const tags = (orig?.kernelFunc as { netwright?: string[] } | undefined)?.netwright ?? [];
  if (!orig || tags.includes(tag)) return;
  const kernelFunc = make(orig.kernelFunc as unknown as KernelFn) as unknown as tf.KernelFunc;
  (kernelFunc as { netwright?: string[] }).netwright = [...tags, tag];
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ kernelName, backendName: 'wasm', setupFunc: orig.setupFunc, kernelFunc });
}

/** The kernel registered for `name` on wasm now (the project's wrappers included). */
export function wasmKernel(name: string): KernelFn {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`The WebAssembly backend has no ${name} kernel.`);
  return k.kernelFunc as unknown as KernelFn;
}

/** out[b] = a[b] · w[b] through the backend's BatchMatMul (XNNPACK), for rank-3 inputs. */
export function batchMatMul(
  backend: BackendWasm,
  a: TensorInfo,
  w: TensorInfo,
  transposeA = false,
  transposeB = false,
): TensorInfo {
  return wasmKernel('BatchMatMul')({ inputs: { a, b: w }, backend, attrs: { transposeA, transposeB } });
}

/** The last two axes swapped, materialised (the backend's Transpose kernel). */
export function transposeLast2(backend: BackendWasm, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return wasmKernel('Transpose')({ inputs: { x: t }, backend, attrs: { perm } });
}
