// Conv2DBackpropInput for the WebAssembly backend, replacing the backend's own (a direct scalar loop
// that dominates the training step of any convnet whose second convolution needs an input gradient).
// dx[n, ih, iw, ci] = Σ dy[n, oh, ow, co] · W[kh, kw, ci, co] over the taps with
// ih = oh·sh + kh·dh − top, iw = ow·sw + kw·dw − left: as a product and a scatter,
//   cols[M = N·OH·OW, K = KH·KW·CI] = dy[M, CO] · W[K, CO]ᵀ   (the backend's matmul: XNNPACK)
//   dx += col2im(cols)                                          (kernels.wat col2im, or the loop below)
// which serves every stride, dilation and padding alike. Large batches are cut into chunks so cols
// stays under CHUNK_FLOATS. With stride 1 the gradient is itself a convolution, of dy padded by
// (k−1)·d − pad with the filter flipped and its channels swapped, and goes to the backend's Conv2D
// (XNNPACK's convolution, no cols buffer, no scatter) where that pays (convolutionPays).
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
  convInfo,
  im2colGeometryArgs,
  windowGeometry,
  type WindowAttrs,
  type WindowGeometry,
} from './window-geometry.ts';
import { winogradTakes } from './conv2d-winograd.ts';

let CHUNK_FLOATS = 4 << 20; // 16 MiB of cols at most

/** For tests and measurements: 'auto' (convolutionPays below), or force one path for stride 1. */
let STRIDE1_AS_CONV: 'auto' | 'always' | 'never' = 'auto';
export function setStride1AsConv(mode: 'auto' | 'always' | 'never'): void {
  STRIDE1_AS_CONV = mode;
}

// The convolution computes every input position from the padded dy, zeros included; the product
// only the real taps, then a scatter pass. The convolution wins unless padding makes it compute many
// zeros (bench/KERNEL-MEASUREMENTS.md): so the convolution when the input has at most a quarter more
// positions than dy, or 1.35× as many where it runs as Winograd's F(2×2, 3×3), which spends 16 of
// the direct convolution's 36 multiply-adds per 2×2 outputs (conv2d-winograd.ts).
const convolutionPays = (g: WindowGeometry) =>
  g.H * g.W <=
  (winogradTakes({ ...g, C: g.CO, CO: g.C, OH: g.H, OW: g.W, sh: 1, sw: 1 }) ? 1.35 : 1.25) * g.OH * g.OW;

/** For tests: a small chunk size exercises the chunked path on small inputs. */
export function setCol2imChunkFloats(n: number): void {
  CHUNK_FLOATS = n;
}

/** For tests and measurements: false keeps the JavaScript scatter even where SIMD is available. */
let USE_SIMD = true;
export function setCol2imSimd(on: boolean): void {
  USE_SIMD = on;
}

interface Attrs extends WindowAttrs {
  dataFormat: 'NHWC' | 'NCHW';
  inputShape: [number, number, number, number];
  /** Not an attribute tfjs itself passes (its gradients refuse dilation); honoured when present. */
  dilations?: [number, number] | number;
}

export function conv2DBackpropInput({ inputs, backend, attrs }: WasmKernelArgs<Attrs>): TensorInfo {
  const { dy, filter } = inputs;
  const { dataFormat, inputShape } = attrs;
  if (dataFormat === 'NCHW')
    throw new Error('Conv2DBackpropInput on WebAssembly supports NHWC (channels-last) only.');
  const info = convInfo(inputShape, filter.shape, attrs);
  const g = windowGeometry(info);
  const { N, C: CI, OH, OW, CO, KH, KW } = g;
  const K = KH * KW * CI;
  const perImage = OH * OW;
  if (
    K > 0 &&
    perImage > 0 &&
    CO > 0 &&
    N > 0 &&
    g.sh === 1 &&
    g.sw === 1 &&
    (STRIDE1_AS_CONV === 'always' || (STRIDE1_AS_CONV === 'auto' && convolutionPays(g)))
  ) {
    const viaConv = asConvolution(backend, dy, filter, g);
    if (viaConv) return viaConv;
  }
  const out = allocF32(backend, inputShape);
  heapF32(backend, out).fill(0);
  if (K === 0 || perImage === 0 || CO === 0 || N === 0) return out;
  const chunkN = Math.max(1, Math.min(N, Math.floor(CHUNK_FLOATS / (K * perImage))));
  const w = withShape(backend, filter, [1, K, CO]);
  const simd = USE_SIMD ? simdKernels(backend) : null;
  for (let n0 = 0; n0 < N; n0 += chunkN) {
    const nc = Math.min(chunkN, N - n0);
    const M = nc * perImage;
    const dyChunk = nc === N ? withShape(backend, dy, [1, M, CO]) : allocF32(backend, [1, M, CO]);
    if (nc !== N)
      heapF32(backend, dyChunk).set(
        heapF32(backend, dy).subarray(n0 * perImage * CO, (n0 + nc) * perImage * CO),
      );
    const cols = batchMatMul(backend, dyChunk, w, false, true);
    free(backend, dyChunk);
    if (simd)
      simd.col2im(heapOffset(backend, cols), heapOffset(backend, out), n0, nc, ...im2colGeometryArgs(g));
    else col2im(heapF32(backend, cols), heapF32(backend, out), n0, nc, g);
    free(backend, cols);
  }
  free(backend, w);
  return out;
}

/**
 * Stride 1: dx = conv(dy, W flipped in space with CI and CO swapped, stride 1, the same dilation),
 * dy padded by (KH−1)·dh − top before and H − OH + top after (likewise for columns). Null when the
 * layer's own padding exceeds the kernel's reach (a negative pad), which the product path handles.
 */
function asConvolution(
  backend: WasmKernelArgs['backend'],
  dy: TensorInfo,
  filter: TensorInfo,
  g: WindowGeometry,
) {
  const { H, W, C: CI, OH, OW, CO, KH, KW, dh, dw, top, left } = g;
  const pads = [(KH - 1) * dh - top, H - OH + top, (KW - 1) * dw - left, W - OW + left];
  if (pads.some((p) => p < 0)) return null;
  const flipped = allocF32(backend, [KH, KW, CO, CI]);
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, flipped);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++) {
      const from = (kh * KW + kw) * CI * CO;
      const to = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CO * CI;
      for (let ci = 0; ci < CI; ci++)
        for (let co = 0; co < CO; co++) dst[to + co * CI + ci] = src[from + ci * CO + co];
    }
  const conv2d = tf.getKernel('Conv2D', 'wasm')!.kernelFunc as unknown as (a: WasmKernelArgs) => TensorInfo;
  const out = conv2d({
    inputs: { x: dy, filter: flipped },
    backend,
    attrs: {
      strides: 1,
      pad: [
        [0, 0],
        [pads[0], pads[1]],
        [pads[2], pads[3]],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [dh, dw],
    },
  });
  free(backend, flipped);
  return out;
}

/** The JavaScript twin of kernels.wat's col2im: dx[n, ih, iw, :] += cols[(n − n0, oh, ow)][(kh, kw, :)]
 *  for every tap inside dx. */
function col2im(c: Float32Array, dx: Float32Array, n0: number, nc: number, g: WindowGeometry): void {
  const { H, W, C: CI, OH, OW, KH, KW, sh, sw, dh, dw, top, left } = g;
  const K = KH * KW * CI;
  let row = 0;
  for (let n = n0; n < n0 + nc; n++) {
    const xb = n * H * W * CI;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, row += K) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh + kh * dh - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw * dw - left;
            if (iw < 0 || iw >= W) continue;
            const src = row + (kh * KW + kw) * CI;
            const dst = xb + (ih * W + iw) * CI;
            for (let ci = 0; ci < CI; ci++) dx[dst + ci] += c[src + ci];
          }
        }
      }
    }
  }
}
