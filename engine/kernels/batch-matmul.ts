// BatchMatMul for the WebAssembly backend, wrapping the backend's own kernel. Its XNNPACK path only
// serves untransposed operands; a transposed one falls to a scalar C loop ~10× slower (x[64,784]ᵀ ·
// dy[64,128]: 3.8 ms vs 0.38 ms here) — and every Dense/LSTM gradient is such a product. XNNPACK also
// repacks the right operand whenever it is a new tensor (always, in training), at a cost ∝ its size.
// So a transposed product is computed as the cheaper of
//   C = op(A) · op(B)              (packs k×n)      and
//   C = (op(B)ᵀ · op(A)ᵀ)ᵀ          (packs k×m, one more transpose of the m×n result),
// with the transposes materialised by the backend's Transpose kernel. Untransposed calls pass
// straight through, so inference keeps XNNPACK's packed-weight cache.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { free, transposeLast2, type TensorInfo } from './wasm-heap.ts';

type KernelFn = (args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: Record<string, unknown>;
}) => TensorInfo;

// Relative costs per element, measured on the wasm backend (Node 20, x86-64): repacking an XNNPACK
// right operand costs about 3× a transpose.
const PACK = 3;
const TRANSPOSE = 1;

export function makeBatchMatMul(original: KernelFn): KernelFn {
  return (args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const batchA = a.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const batchB = b.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    if ((!transposeA && !transposeB) || batchA !== 1 || batchB !== 1 || a.dtype !== 'float32')
      return original(args);
    const backend = args.backend;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const direct = k * n * PACK + (transposeA ? m * k * TRANSPOSE : 0) + (transposeB ? k * n * TRANSPOSE : 0);
    const swapped =
      k * m * PACK +
      (transposeB ? 0 : k * n * TRANSPOSE) +
      (transposeA ? 0 : m * k * TRANSPOSE) +
      m * n * TRANSPOSE;
    const plain = { transposeA: false, transposeB: false };
    const temps: TensorInfo[] = [];
    const materialise = (t: TensorInfo, transpose: boolean): TensorInfo => {
      if (!transpose) return t;
      const tt = transposeLast2(backend, t);
      temps.push(tt);
      return tt;
    };
    let out: TensorInfo;
    if (direct <= swapped) {
      out = original({
        inputs: { a: materialise(a, transposeA), b: materialise(b, transposeB) },
        backend,
        attrs: plain,
      });
    } else {
      const ct = original({
        inputs: { a: materialise(b, !transposeB), b: materialise(a, !transposeA) },
        backend,
        attrs: plain,
      });
      out = transposeLast2(backend, ct);
      free(backend, ct);
    }
    for (const t of temps) free(backend, t);
    // The original kernel reports the broadcast batch shape; keep the caller's rank.
    const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), m, n];
    return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
  };
}

/** Replace the wasm BatchMatMul with the wrapper, keeping the original's setup (its cwrap). */
export function registerWasmBatchMatMul(): void {
  const orig = tf.getKernel('BatchMatMul', 'wasm');
  if (!orig || (orig.kernelFunc as { netwright?: boolean }).netwright) return;
  const kernelFunc = makeBatchMatMul(orig.kernelFunc as unknown as KernelFn) as unknown as tf.KernelFunc;
  (kernelFunc as { netwright?: boolean }).netwright = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    setupFunc: orig.setupFunc,
    kernelFunc,
  });
}
