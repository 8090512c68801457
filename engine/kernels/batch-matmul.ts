// BatchMatMul for the WebAssembly backend, wrapping the backend's own kernel. Its XNNPACK path only
// serves untransposed operands; a transposed one falls to a scalar C loop about ten times slower
// (figures: bench/KERNEL-MEASUREMENTS.md) — and every Dense/LSTM gradient is such a product. XNNPACK also
// repacks the right operand whenever it is a new tensor (always, in training), at a cost ∝ its size.
// So a transposed product is computed as the cheaper of
//   C = op(A) · op(B)              (packs k×n)      and
//   C = (op(B)ᵀ · op(A)ᵀ)ᵀ          (packs k×m, one more transpose of the m×n result),
// with the transposes materialised by the backend's Transpose kernel — unless the project's SIMD
// product pays (viaMatTN and simdPays below), which needs no packing.
// An untransposed product outside training goes to XNNPACK when its right operand was seen before
// (inference: the weights stay the same tensor, packed once and cached); one in training (new
// weights every step, which XNNPACK would pack again) or with a right operand seen for the first
// time takes viaMatTN where it pays. Training decides by itself, not by what was seen: a step that
// runs the same weights on two halves of a batch must compute both as a thread given only one
// would (data-parallel training's numbers do not depend on which thread computes a half).
import * as tf from '@tensorflow/tfjs';
import {
  allocF32,
  free,
  transposeLast2,
  wrapWasmKernel,
  type KernelFn,
  type TensorInfo,
} from './wasm-heap.ts';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  heapOffset,
  matPackedScratchFloats,
  simdBuild,
  simdKernels,
  type SimdKernels,
} from './simd/module.ts';

// Relative costs per element on the wasm backend: repacking an XNNPACK right operand costs about
// three transposes (bench/KERNEL-MEASUREMENTS.md).
const PACK = 3;
const TRANSPOSE = 1;
// matTN's relaxed build (fused multiply-adds, simd/module.ts) beats XNNPACK's packing + tiles on
// every training product measured, up to 2^28 multiply-adds; the plain build only on small or skinny
// ones and loses on large square ones (bench/KERNEL-MEASUREMENTS.md). So: relaxed, at most 2^28
// multiply-adds; plain, at most 16M and either a skinny side (≤ 16) or an output of at most 128K
// elements.
function simdPays(m: number, k: number, n: number): boolean {
  if (simdBuild() === 'relaxed') return m * k * n <= 1 << 28;
  return m * k * n <= 16 << 20 && (Math.min(m, n) <= 16 || m * n <= 128 << 10);
}

// The fewest rows of out for which copying b's blocks to scratch (matPacked) pays.
const PACK_MIN_ROWS = 4;

/** For measurements: 'auto' (the rule below), or force one path. */
let SIMD_MODE: 'auto' | 'always' | 'never' = 'auto';
export function setBatchMatMulSimd(mode: 'auto' | 'always' | 'never'): void {
  SIMD_MODE = mode;
}

/** `t` row-major: itself, or (transpose) a transposed copy added to `temps`, which the caller frees
 *  after the product. (Module functions rather than closures: a hot path, and closures cost a
 *  defineProperty each under tsx's keepNames.) */
function rowMajor(backend: BackendWasm, t: TensorInfo, transpose: boolean, temps: TensorInfo[]): TensorInfo {
  if (!transpose) return t;
  const tt = transposeLast2(backend, t);
  temps.push(tt);
  return tt;
}

/** Right operands of untransposed products already seen (their data ids), so a second product with
 *  the same weights goes to XNNPACK, which keeps them packed. */
const seenRight = new WeakSet<object>();

/** Whether the product runs inside a gradient computation (training's forward and backward). */
function recordingGradients(): boolean {
  return (tf.engine().state as { gradientDepth: number }).gradientDepth > 0;
}

export function makeBatchMatMul(original: KernelFn): KernelFn {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    // An untransposed product outside training tries SIMD only with a right operand not seen before.
    let trySimd = true;
    if (!transposeA && !transposeB && !recordingGradients()) {
      const id = args.inputs.b.dataId as object;
      trySimd = !seenRight.has(id);
      seenRight.add(id);
    }
    const simdOut = SIMD_MODE === 'never' || !trySimd ? null : viaMatTN(args);
    if (simdOut) return simdOut;
    const { a, b } = args.inputs;
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
    let out: TensorInfo;
    if (direct <= swapped) {
      out = original({
        inputs: { a: rowMajor(backend, a, transposeA, temps), b: rowMajor(backend, b, transposeB, temps) },
        backend,
        attrs: plain,
      });
    } else {
      const ct = original({
        inputs: { a: rowMajor(backend, b, !transposeB, temps), b: rowMajor(backend, a, !transposeA, temps) },
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

/** Replace the wasm BatchMatMul with the wrapper. */
export function registerWasmBatchMatMul(): void {
  wrapWasmKernel('BatchMatMul', makeBatchMatMul);
}

/**
 * C = op(A) · op(B), in the project's SIMD product (kernels.wat matPacked:
 * out[P, Q] = a[P, R] · b[R, Q], a and b each read as stored, row-major or transposed), without
 * XNNPACK's packing. Either C itself (a = op(A), b = op(B)) or Cᵀ = op(B)ᵀ · op(A)ᵀ then one
 * transpose, whichever materialises fewer elements. With at least PACK_MIN_ROWS rows of out the
 * product copies b's blocks to scratch (any Q, b stored either way); with fewer it reads b in
 * place, which needs b row-major (a transposed copy otherwise) and Q a multiple of 4. Used where it
 * pays (simdPays), e.g. the products of a Dense layer in training; null = not this path.
 */
function viaMatTN(args: Parameters<KernelFn>[0]): TensorInfo | null {
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (
    ra < 2 ||
    rb < 2 ||
    a.shape.slice(0, -2).some((d) => d !== 1) ||
    b.shape.slice(0, -2).some((d) => d !== 1)
  )
    return null;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (SIMD_MODE === 'auto' && !simdPays(m, k, n)) return null;
  if (m === 0 || n === 0 || k === 0) return null;
  const backend = args.backend;
  const simd = simdKernels(backend);
  if (!simd) return null;
  // Elements each way has to transpose: a right operand stored transposed (unless packed) and a
  // swapped result; a transposed left operand is read in place.
  const direct = copyCost(m, n, transposeB, k);
  const swapped = copyCost(n, m, !transposeA, k) + m * n;
  // Untransposed, only C itself: transposing both operands to dodge one packing does not pay.
  if (!transposeA && !transposeB && direct === Infinity) return null;
  if (direct === Infinity && swapped === Infinity) return null;
  const temps: TensorInfo[] = [];
  let out: TensorInfo;
  if (direct <= swapped) {
    out = simdProduct(simd, backend, a, transposeA, b, transposeB, m, k, n, temps);
  } else {
    const ct = simdProduct(simd, backend, b, !transposeB, a, !transposeA, n, k, m, temps);
    temps.push(ct);
    out = transposeLast2(backend, ct);
  }
  for (const t of temps) free(backend, t);
  const outShape = [...(ra >= rb ? a.shape : b.shape).slice(0, -2), m, n];
  return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
}

/** Elements a P×Q product with R terms copies to run in SIMD: none packed, else a right operand
 *  stored transposed (Infinity: Q not a multiple of 4, which only the packed product takes). */
function copyCost(P: number, Q: number, rightT: boolean, R: number): number {
  return P >= PACK_MIN_ROWS ? 0 : Q % 4 === 0 ? (rightT ? R * Q : 0) : Infinity;
}

/** P×Q = left(P×R) · right(R×Q), each operand stored as it is ([P, R] or [R, P]; [R, Q] or [Q, R]). */
function simdProduct(
  simd: SimdKernels,
  backend: BackendWasm,
  left: TensorInfo,
  leftT: boolean,
  right: TensorInfo,
  rightT: boolean,
  P: number,
  R: number,
  Q: number,
  temps: TensorInfo[],
): TensorInfo {
  const out = allocF32(backend, [P, Q]);
  const [sk, sm] = leftT ? [4, 4 * P] : [4 * R, 4];
  const l = heapOffset(backend, left);
  const o = heapOffset(backend, out);
  // Copying right block by block costs about one more pass over it, which a few rows of out repay.
  if (P < PACK_MIN_ROWS) {
    simd.matStrided(l, heapOffset(backend, rowMajor(backend, right, rightT, temps)), o, P, R, Q, 0, sk, sm);
  } else {
    const pack = allocF32(backend, [matPackedScratchFloats(P, Q)]);
    simd.matPacked(
      l,
      heapOffset(backend, right),
      o,
      P,
      R,
      Q,
      0,
      sk,
      sm,
      heapOffset(backend, pack),
      rightT ? 1 : 0,
    );
    free(backend, pack);
  }
  return out;
}
