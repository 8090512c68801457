// MaxPoolGrad for the WebAssembly backend, replacing the backend's own: that one spent ~11 ms per
// batch of the CNN benchmark (half of all training time, node --cpu-prof), this one ~1 ms. Each
// pooling window routes its gradient to the first position holding the window's maximum, as the
// cpu backend does (strict >, row-major order inside the window, padding never wins).
import * as tf from '@tensorflow/tfjs';
import { allocF32, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';

interface Attrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
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
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = c;
  const {
    filterHeight: KH,
    filterWidth: KW,
    strideHeight: sh,
    strideWidth: sw,
    dilationHeight: dh,
    dilationWidth: dw,
  } = c;
  const out = allocF32(backend, input.shape);
  const dx = heapF32(backend, out);
  const xv = heapF32(backend, input);
  const dyv = heapF32(backend, dy);
  dx.fill(0);
  routeToFirstMax(xv, dyv, dx, N, H, W, C, OH, OW, KH, KW, sh, sw, dh, dw, c.padInfo.top, c.padInfo.left);
  return out;
}

/** dx[first max of each window] += dy, channels innermost (NHWC). A module-level function over
 *  typed arrays so V8 optimises it as one unit. */
function routeToFirstMax(
  xv: Float32Array,
  dyv: Float32Array,
  dx: Float32Array,
  N: number,
  H: number,
  W: number,
  C: number,
  OH: number,
  OW: number,
  KH: number,
  KW: number,
  sh: number,
  sw: number,
  dh: number,
  dw: number,
  top: number,
  left: number,
): void {
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
