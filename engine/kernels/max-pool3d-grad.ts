// MaxPool3DGrad for the pure-JavaScript (cpu) and WebAssembly backends, replacing theirs: tfjs 4.22's
// cpu kernel encodes a window position as wD·fH·fW + wR·fH + wC (fH where fW belongs) and the wasm
// kernel drops windows that overhang the end of an axis under 'same' padding, so pools whose window
// is not a cube, or 'same' pools, trained on wrong gradients (test/train/max-pool3d-grad.test.ts
// holds the three backends to a hand-computed gradient). Each window routes its gradient to the last
// position holding its maximum (>=, as tfjs's forward positions and the WebGPU kernel do); padding
// never wins.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { CpuBackend } from './cpu-kernel-fixes.ts';
import { allocF32, heapF32 } from './wasm-heap.ts';

interface Attrs {
  filterSize: [number, number, number] | number;
  strides: [number, number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}
type Args = { inputs: Record<string, tf.TensorInfo>; attrs: Attrs };

function poolInfo(input: tf.TensorInfo, attrs: Attrs): tf.backend_util.Conv3DInfo {
  return tf.backend_util.computePool3DInfo(
    input.shape as [number, number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/** dx[last max of each window] += dy, NDHWC. dx must be zero on entry. */
export function routeMaxPool3d(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  c: tf.backend_util.Conv3DInfo,
): void {
  const { batchSize: N, inDepth: D, inHeight: H, inWidth: W, inChannels: C } = c;
  const { outDepth: OD, outHeight: OH, outWidth: OW, filterDepth: KD, filterHeight: KH, filterWidth: KW } = c;
  const { front, top, left } = c.padInfo;
  for (let n = 0; n < N; n++)
    for (let od = 0; od < OD; od++) {
      const d0 = od * c.strideDepth - front;
      for (let oh = 0; oh < OH; oh++) {
        const h0 = oh * c.strideHeight - top;
        for (let ow = 0; ow < OW; ow++) {
          const w0 = ow * c.strideWidth - left;
          const dyBase = (((n * OD + od) * OH + oh) * OW + ow) * C;
          for (let ch = 0; ch < C; ch++) {
            let best = -Infinity;
            let at = -1;
            for (let d = Math.max(d0, 0); d < Math.min(d0 + KD, D); d++)
              for (let h = Math.max(h0, 0); h < Math.min(h0 + KH, H); h++)
                for (let w = Math.max(w0, 0); w < Math.min(w0 + KW, W); w++) {
                  const i = (((n * D + d) * H + h) * W + w) * C + ch;
                  if (x[i] >= best) {
                    best = x[i];
                    at = i;
                  }
                }
            if (at >= 0) dx[at] += dy[dyBase + ch];
          }
        }
      }
    }
}

export function maxPool3DGradCpu({ inputs, backend, attrs }: Args & { backend: CpuBackend }): tf.TensorInfo {
  const { dy, input } = inputs;
  const dx = new Float32Array(input.shape.reduce((a, b) => a * b, 1));
  const values = (t: tf.TensorInfo) => backend.data.get(t.dataId).values;
  routeMaxPool3d(values(input), values(dy), dx, poolInfo(input, attrs));
  return backend.makeTensorInfo(input.shape, 'float32', dx);
}

export function maxPool3DGradWasm({
  inputs,
  backend,
  attrs,
}: Args & { backend: BackendWasm }): tf.TensorInfo {
  const { dy, input } = inputs;
  const out = allocF32(backend, input.shape);
  const dx = heapF32(backend, out);
  dx.fill(0);
  routeMaxPool3d(heapF32(backend, input), heapF32(backend, dy), dx, poolInfo(input, attrs));
  return out;
}
