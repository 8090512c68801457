// MaxPoolGrad for the WebAssembly backend, replacing the backend's own, which took half of the CNN
// benchmark's training time (bench/KERNEL-MEASUREMENTS.md). Each pooling window routes
// its gradient to the first position holding the window's maximum, as the cpu backend does (strict >,
// row-major order inside the window, padding never wins). Pools whose windows tile the input (stride
// = window, e.g. 2×2 stride 2, or a MaxPooling1D of 4) with channels in fours run in the project's
// SIMD WebAssembly kernels (simd/kernels.wat), far quicker than these JavaScript loops, whose
// per-window comparisons mispredict on real data; other pools use the loops below.
import * as tf from '@tensorflow/tfjs';
import { allocF32, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { heapOffset, simdKernels } from './simd/module.ts';
import { windowGeometry, type WindowAttrs, type WindowGeometry } from './window-geometry.ts';

interface Attrs extends WindowAttrs {
  filterSize: [number, number] | number;
}

export function maxPoolGrad({ inputs, backend, attrs }: WasmKernelArgs<Attrs>): TensorInfo {
  const { dy, input } = inputs;
  const c = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const g = windowGeometry(c);
  const { N, H, W, C, OH, OW, KH, KW, sh, sw, dh, dw } = g;
  const out = allocF32(backend, input.shape);
  const dx = heapF32(backend, out);
  const xv = heapF32(backend, input);
  const dyv = heapF32(backend, dy);
  // Windows that tile the input and stay inside it ('same' padding can leave the last one
  // overhanging the bottom or right edge, which the tile kernels would read and write past).
  const tiles =
    sh === KH &&
    sw === KW &&
    dh === 1 &&
    dw === 1 &&
    g.top === 0 &&
    g.left === 0 &&
    OH * KH <= H &&
    OW * KW <= W;
  const simd = tiles && C % 4 === 0 && N * OH * OW * C > 0 ? simdKernels(backend) : null;
  if (simd && (KH !== 2 || KW !== 2)) {
    if (OH * KH !== H || OW * KW !== W) dx.fill(0); // rows/columns no window covers
    simd.maxPoolGradTiles(
      heapOffset(backend, input),
      heapOffset(backend, dy),
      heapOffset(backend, out),
      N,
      H,
      W,
      C,
      OH,
      OW,
      KH,
      KW,
    );
    return out;
  }
  if (tiles && KH === 2 && KW === 2 && N * OH * OW * C > 0) {
    if (OH * 2 !== H || OW * 2 !== W) dx.fill(0); // rows/columns no window covers
    if (simd) {
      simd.maxPoolGrad2x2(
        heapOffset(backend, input),
        heapOffset(backend, dy),
        heapOffset(backend, out),
        N,
        H,
        W,
        C,
        OH,
        OW,
      );
      return out;
    }
    routeTiles2x2(xv, dyv, dx, g);
    return out;
  }
  dx.fill(0);
  routeToFirstMax(xv, dyv, dx, g);
  return out;
}

/** dx[first max of each window] += dy, channels innermost (NHWC). A module-level function over
 *  typed arrays so V8 optimises it as one unit. */
function routeToFirstMax(xv: Float32Array, dyv: Float32Array, dx: Float32Array, g: WindowGeometry): void {
  const { N, H, W, C, OH, OW, KH, KW, sh, sw, dh, dw, top, left } = g;
  // Per window: the in-bounds taps as offsets, then channels innermost with the running max in locals.
  const taps = new Int32Array(KH * KW);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - top;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * sw - left;
        let k = 0;
        for (let kh = 0; kh < KH; kh++) {
          const ih = h0 + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = w0 + kw * dw;
            if (iw >= 0 && iw < W) taps[k++] = ((n * H + ih) * W + iw) * C;
          }
        }
        if (k === 0) continue;
        const yo = ((n * OH + oh) * OW + ow) * C;
        const first = taps[0];
        for (let ch = 0; ch < C; ch++) {
          let bi = first + ch;
          let bv = xv[bi];
          for (let j = 1; j < k; j++) {
            const at = taps[j] + ch;
            const v = xv[at];
            if (v > bv) {
              bv = v;
              bi = at;
            }
          }
          dx[bi] += dyv[yo + ch];
        }
      }
    }
  }
}

/** The common 2×2 stride-2 'valid' pool: windows tile the input, so every covered position is
 *  written exactly once (the first maximum gets dy, the other three 0) and no accumulation or
 *  per-window tap list is needed. Same tie rule as routeToFirstMax: strict >, row-major order. */
function routeTiles2x2(xv: Float32Array, dyv: Float32Array, dx: Float32Array, g: WindowGeometry): void {
  const { N, H, W, C, OH, OW } = g;
  const rowStride = W * C;
  let yo = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      let p00 = (n * H + oh * 2) * rowStride;
      for (let ow = 0; ow < OW; ow++, p00 += 2 * C) {
        const p01 = p00 + C;
        const p10 = p00 + rowStride;
        const p11 = p10 + C;
        for (let ch = 0; ch < C; ch++, yo++) {
          const v00 = xv[p00 + ch];
          const v01 = xv[p01 + ch];
          const v10 = xv[p10 + ch];
          const v11 = xv[p11 + ch];
          const g = dyv[yo];
          // Index of the first maximum in row-major order (strict > keeps the earlier one on ties).
          let best = v00;
          let at = 0;
          if (v01 > best) {
            best = v01;
            at = 1;
          }
          if (v10 > best) {
            best = v10;
            at = 2;
          }
          if (v11 > best) at = 3;
          dx[p00 + ch] = at === 0 ? g : 0;
          dx[p01 + ch] = at === 1 ? g : 0;
          dx[p10 + ch] = at === 2 ? g : 0;
          dx[p11 + ch] = at === 3 ? g : 0;
        }
      }
    }
  }
}
