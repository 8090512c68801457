// Conv2DBackpropFilter for the WebAssembly backend (tfjs-backend-wasm has none, so no Conv1D/Conv2D
// trains there). dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·sh+kh·dh−top, ow·sw+kw·dw−left, ci] · dy[n,oh,ow,co].
// With output channels in fours it runs in the project's SIMD kernel (simd/kernels.wat convFilterTap)
// tap by tap, reading x and dy where they lie: each tap is a sum of outer products of x's channel
// rows and dy's rows, so no im2col is written (the im2col pass took as long as the product itself).
// Otherwise one im2col pass is written onto the wasm heap as colsᵀ [K = KH·KW·CI, M = N·OH·OW] and
// colsᵀ · dy[M, CO] → [K, CO] (the filter layout) goes to XNNPACK; large inputs are cut into batch
// chunks so colsᵀ stays under CHUNK_FLOATS. A 3×3 stride-1 layer with channels in fours goes to the
// Winograd path first (conv2d-winograd.ts).
import * as tf from '@tensorflow/tfjs';
import {
  allocF32,
  batchMatMul,
  free,
  heapF32,
  withShape,
  type TensorInfo,
  type WasmKernelArgs,
} from './wasm-heap.ts';
import { heapOffset, simdKernels } from './simd/module.ts';
import {
  im2colGeometryArgs,
  windowGeometry,
  type WindowAttrs,
  type WindowGeometry,
} from './window-geometry.ts';
import { winogradFilterGradient } from './conv2d-winograd.ts';

let CHUNK_FLOATS = 4 << 20; // 16 MiB of im2col at most

/** For tests: a small chunk size exercises the chunked path on small inputs. */
export function setIm2colChunkFloats(n: number): void {
  CHUNK_FLOATS = n;
}

interface Attrs extends WindowAttrs {
  dataFormat: 'NHWC' | 'NCHW';
  filterShape: [number, number, number, number];
}

export function conv2DBackpropFilter({ inputs, backend, attrs }: WasmKernelArgs<Attrs>): TensorInfo {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat === 'NCHW')
    throw new Error('Conv2DBackpropFilter on WebAssembly supports NHWC (channels-last) only.');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const g = windowGeometry(info);
  const { N, C: CI, OH, OW, CO, KH, KW } = g;
  const K = KH * KW * CI;
  const perImage = OH * OW;
  const chunkN = Math.max(1, Math.min(N, Math.floor(CHUNK_FLOATS / (K * perImage))));

  const winograd = winogradFilterGradient(backend, x, dy, g);
  if (winograd) return winograd;
  const simd = K > 0 && perImage > 0 && CO > 0 ? simdKernels(backend) : null;
  // im2col of images n0..n0+nc into `cols`, in the project's SIMD kernel or its JavaScript twin.
  const fillCols = (cols: TensorInfo, n0: number, nc: number): void => {
    if (simd)
      simd.im2colT(heapOffset(backend, x), heapOffset(backend, cols), n0, nc, ...im2colGeometryArgs(g));
    else im2colT(heapF32(backend, x), heapF32(backend, cols), n0, nc, g);
  };
  if (simd && CO % 4 === 0) {
    // All in the project's kernel, tap by tap, reading x and dy in place (no im2col).
    const out = allocF32(backend, filterShape);
    heapF32(backend, out).fill(0);
    const { H, W, sh, sw, dh, dw, top, left } = g;
    for (let kh = 0; kh < KH; kh++) {
      const ihOff = kh * dh - top;
      const [ohLo, ohHi] = insideRange(ihOff, sh, H, OH);
      for (let kw = 0; kw < KW; kw++) {
        const iwOff = kw * dw - left;
        const [owLo, owHi] = insideRange(iwOff, sw, W, OW);
        simd.convFilterTap(
          heapOffset(backend, x),
          heapOffset(backend, dy),
          heapOffset(backend, out) + (kh * KW + kw) * CI * CO * 4,
          N,
          H,
          W,
          CI,
          OH,
          OW,
          CO,
          ohLo,
          ohHi,
          owLo,
          owHi,
          ihOff,
          iwOff,
          sh,
          sw,
        );
      }
    }
    return out;
  }

  const acc = chunkN < N ? new Float32Array(K * CO) : null;
  for (let n0 = 0; n0 < N; n0 += chunkN) {
    const nc = Math.min(chunkN, N - n0);
    const M = nc * perImage;
    const cols = allocF32(backend, [1, K, M]);
    const dyChunk = nc === N ? withShape(backend, dy, [1, M, CO]) : allocF32(backend, [1, M, CO]);
    if (nc !== N)
      heapF32(backend, dyChunk).set(
        heapF32(backend, dy).subarray(n0 * perImage * CO, (n0 + nc) * perImage * CO),
      );
    fillCols(cols, n0, nc);
    const part = batchMatMul(backend, cols, dyChunk);
    free(backend, cols);
    free(backend, dyChunk);
    if (acc) {
      const p = heapF32(backend, part);
      for (let i = 0; i < acc.length; i++) acc[i] += p[i];
      free(backend, part);
    } else {
      return withShapeOwned(part, filterShape);
    }
  }
  const out = allocF32(backend, filterShape);
  heapF32(backend, out).set(acc!);
  return out;
}

/** The outputs o in [lo, hi) whose input o·stride + offset lies in [0, size), out of `count`. */
function insideRange(offset: number, stride: number, size: number, count: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(count, Math.floor((size - 1 - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Re-label a freshly made output (refCount 1, owned by this kernel) with the filter shape. */
function withShapeOwned(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** The JavaScript twin of kernels.wat's im2colT, where the project's WebAssembly kernels are not
 *  available: cols[(kh·KW + kw)·CI + ci][(n − n0, oh, ow)], zeros outside x. */
function im2colT(xv: Float32Array, c: Float32Array, n0: number, nc: number, g: WindowGeometry): void {
  const { H, W, C: CI, OH, OW, KH, KW, sh, sw, dh, dw, top, left } = g;
  const M = nc * OH * OW;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let ci = 0; ci < CI; ci++) {
        let o = ((kh * KW + kw) * CI + ci) * M;
        for (let n = n0; n < n0 + nc; n++) {
          const xb = n * H * W * CI + ci;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sh + kh * dh - top;
            if (ih < 0 || ih >= H) {
              c.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            const xr = xb + ih * W * CI;
            let iw = kw * dw - left;
            for (let ow = 0; ow < OW; ow++, iw += sw) c[o++] = iw >= 0 && iw < W ? xv[xr + iw * CI] : 0;
          }
        }
      }
    }
  }
}
