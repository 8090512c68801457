// Sum over every axis but the last (a bias gradient: dy[N, H, W, C] → [C]) on the WebAssembly
// backend, as one XNNPACK matmul ones[1, M] · x[M, C]. The backend's own Sum first transposes the
// reduced axes innermost: 0.85–1.1 ms for the CNN benchmark's [64, 26, 26, 16], this ~0.11 ms.
// Every other Sum passes straight to the backend's kernel. x is XNNPACK's right operand under its own
// id, split [rows, last axis] as every matmul on x splits it, so a packed copy cached by an earlier
// product on x (Conv2DBackpropFilter's colsᵀ · dy) is reused, not repacked.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, batchMatMul, free, heapF32, withShape, type TensorInfo } from './wasm-heap.ts';

type KernelFn = (args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: Record<string, unknown>;
}) => TensorInfo;

// Below this many rows the backend's Sum is as quick and the ones vector not worth making.
const MIN_ROWS = 1024;

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
    if (!leading || x.dtype !== 'float32' || M < MIN_ROWS || C === 0) return original(args);
    const backend = args.backend;
    const ones = allocF32(backend, [1, 1, M]);
    heapF32(backend, ones).fill(1);
    const rows = withShape(backend, x, [1, M, C]);
    const out = batchMatMul(backend, ones, rows);
    free(backend, ones);
    free(backend, rows);
    const shape = keepDims ? x.shape.map((d, i) => (i === rank - 1 ? d : 1)) : [C];
    return { dataId: out.dataId, shape, dtype: out.dtype };
  };
}

/** Replace the wasm Sum with the wrapper, keeping the original's setup (its cwrap). */
export function registerWasmSum(): void {
  const orig = tf.getKernel('Sum', 'wasm');
  if (!orig || (orig.kernelFunc as { netwright?: boolean }).netwright) return;
  const kernelFunc = makeSum(orig.kernelFunc as unknown as KernelFn) as unknown as tf.KernelFunc;
  (kernelFunc as { netwright?: boolean }).netwright = true;
  tf.unregisterKernel('Sum', 'wasm');
  tf.registerKernel({ kernelName: 'Sum', backendName: 'wasm', setupFunc: orig.setupFunc, kernelFunc });
}
