// The cpu backend's resize gradients, corrected: tfjs 4.22's ResizeBilinearGrad returns its (rightly
// laid out) result under the shape [batch, width, height, depth], which tfjs refuses unless the image
// is square, and its ResizeNearestNeighborGrad reads dy at the images' batch stride, so every example
// after the first gets another example's gradient. UpSampling2D trains through them;
// test/train/resize-grad.test.ts holds the cpu, wasm and WebGPU kernels to a gradient summed by hand.
import type * as tf from '@tensorflow/tfjs';
import type { CpuBackend } from './cpu-kernel-fixes.ts';
type Args = {
  inputs: { images: tf.TensorInfo; dy: tf.TensorInfo };
  attrs: { alignCorners: boolean; halfPixelCenters?: boolean };
  backend: CpuBackend;
};

/** The input row (or column) the forward kernel copies to output position `i` (cpu ResizeNearestNeighbor). */
function nearestSource(i: number, inSize: number, outSize: number, attrs: Args['attrs']): number {
  const corners = attrs.alignCorners && outSize > 1;
  const ratio = (corners ? inSize - 1 : inSize) / (corners ? outSize - 1 : outSize);
  const frac = attrs.halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
  const at = Math.min(inSize - 1, attrs.alignCorners ? Math.round(frac) : Math.floor(frac));
  return attrs.halfPixelCenters ? Math.max(0, at) : at;
}

/** Each dy value added to the input pixel the forward pass copied it from. */
export function resizeNearestNeighborGradCpu({ inputs, attrs, backend }: Args): tf.TensorInfo {
  const { images, dy } = inputs;
  const [batch, inH, inW, depth] = images.shape;
  const [, outH, outW] = dy.shape;
  const dyValues = backend.data.get(dy.dataId).values;
  const dx = new Float32Array(batch * inH * inW * depth);
  const rows = Array.from({ length: outH }, (_, r) => nearestSource(r, inH, outH, attrs));
  const cols = Array.from({ length: outW }, (_, c) => nearestSource(c, inW, outW, attrs));
  let from = 0;
  for (let b = 0; b < batch; b++)
    for (let r = 0; r < outH; r++)
      for (let c = 0; c < outW; c++) {
        const to = ((b * inH + rows[r]) * inW + cols[c]) * depth;
        for (let d = 0; d < depth; d++) dx[to + d] += dyValues[from++];
      }
  return backend.makeTensorInfo(images.shape, 'float32', dx);
}

/** tfjs's ResizeBilinearGrad with its result given the images' shape (its values are laid out so). */
export function resizeBilinearGradWithImageShape(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const out = original(args) as tf.TensorInfo;
    const shape = (args.inputs as Args['inputs']).images.shape;
    return { ...out, shape };
  };
}
