// Conv3DBackpropInputV2 for the WebAssembly backend, replacing tfjs 4.22's own, whose result differs
// from the cpu backend's on plain geometries (a 'valid' stride-1 3×3×3 filter from 4 to 3 channels)
// and reads memory outside its tensors, so the layer before a Conv3D trained on wrong gradients, NaN
// at times (test/perf/wasm-kernels.test.ts holds this one to the cpu backend). Each dy element adds
// dy · filter to the input positions its window covered; tfjs passes no dilation here (dilated
// Conv3D layers train through its own dilated-conv path).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, heapF32 } from './wasm-heap.ts';

interface Attrs {
  strides: [number, number, number] | number;
  pad: 'valid' | 'same';
  inputShape: [number, number, number, number, number];
}

/** dx += the transposed convolution of dy with the filter, NDHWC. dx must be zero on entry. */
function scatter(dy: Float32Array, w: Float32Array, dx: Float32Array, c: tf.backend_util.Conv3DInfo): void {
  const { batchSize: N, inDepth: D, inHeight: H, inWidth: W, inChannels: CI, outChannels: CO } = c;
  const { outDepth: OD, outHeight: OH, outWidth: OW, filterDepth: KD, filterHeight: KH, filterWidth: KW } = c;
  const { front, top, left } = c.padInfo;
  for (let n = 0; n < N; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const g = (((n * OD + od) * OH + oh) * OW + ow) * CO;
          for (let kd = 0; kd < KD; kd++) {
            const d = od * c.strideDepth - front + kd;
            if (d < 0 || d >= D) continue;
            for (let kh = 0; kh < KH; kh++) {
              const h = oh * c.strideHeight - top + kh;
              if (h < 0 || h >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const x = ow * c.strideWidth - left + kw;
                if (x < 0 || x >= W) continue;
                const at = (((n * D + d) * H + h) * W + x) * CI;
                const f = ((kd * KH + kh) * KW + kw) * CI * CO;
                for (let ci = 0; ci < CI; ci++) {
                  let s = 0;
                  const fr = f + ci * CO;
                  for (let co = 0; co < CO; co++) s += dy[g + co] * w[fr + co];
                  dx[at + ci] += s;
                }
              }
            }
          }
        }
}

export function conv3DBackpropInputWasm({
  inputs,
  backend,
  attrs,
}: {
  inputs: Record<string, tf.TensorInfo>;
  backend: BackendWasm;
  attrs: Attrs;
}): tf.TensorInfo {
  const { dy, filter } = inputs;
  const c = tf.backend_util.computeConv3DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
  );
  const out = allocF32(backend, attrs.inputShape);
  const dx = heapF32(backend, out);
  dx.fill(0);
  scatter(heapF32(backend, dy), heapF32(backend, filter), dx, c);
  return out;
}
