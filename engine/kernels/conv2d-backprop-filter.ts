// Conv2DBackpropFilter for the WebAssembly backend (tfjs-backend-wasm has none, so no Conv1D/Conv2D
// trains there). dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·sh+kh·dh−top, ow·sw+kw·dw−left, ci] · dy[n,oh,ow,co]:
// one im2col pass written straight onto the wasm heap as colsᵀ [K = KH·KW·CI, M = N·OH·OW], then
// colsᵀ · dy[M, CO] → [K, CO], which is the filter layout. With output channels in fours both steps
// run in the project's SIMD kernels (simd/kernels.wat: im2colT, matTN): XNNPACK's matmul would first
// pack all of dy, a fresh tensor every step (~1.5 of the 2.2 ms this kernel took per CNN benchmark
// step; now ~0.8 ms, and ~0.5 ms since matTN keeps 16 output columns in registers: 0.26 ms median
// per 32-row share). Otherwise the product goes to XNNPACK. Large inputs are cut into batch chunks
// so colsᵀ stays under CHUNK_FLOATS.
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
import { im2colGeometryArgs, windowGeometry, type WindowGeometry } from './window-geometry.ts';

let CHUNK_FLOATS = 4 << 20; // 16 MiB of im2col at most

/** For tests: a small chunk size exercises the chunked path on small inputs. */
export function setIm2colChunkFloats(n: number): void {
  CHUNK_FLOATS = n;
}

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
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

  const simd = K > 0 && perImage > 0 && CO > 0 ? simdKernels(backend) : null;
  // im2col of images n0..n0+nc into `cols`, in the project's SIMD kernel or its JavaScript twin.
  const fillCols = (cols: TensorInfo, n0: number, nc: number): void => {
    if (simd)
      simd.im2colT(heapOffset(backend, x), heapOffset(backend, cols), n0, nc, ...im2colGeometryArgs(g));
    else im2colT(heapF32(backend, x), heapF32(backend, cols), n0, nc, g);
  };
  if (simd && CO % 4 === 0) {
    // All in the project's kernels: im2col, then colsᵀ · dy summed into the filter chunk by chunk.
    const out = allocF32(backend, filterShape);
    for (let n0 = 0; n0 < N; n0 += chunkN) {
      const nc = Math.min(chunkN, N - n0);
      const M = nc * perImage;
      const cols = allocF32(backend, [K, M]);
      fillCols(cols, n0, nc);
      simd.matTN(
        heapOffset(backend, cols),
        heapOffset(backend, dy) + n0 * perImage * CO * 4,
        heapOffset(backend, out),
        K,
        M,
        CO,
        n0 === 0 ? 0 : 1,
      );
      free(backend, cols);
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
