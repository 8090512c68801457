// Saliency (Simonyan et al. 2014; docs/EXPLAIN.md): how strongly each pixel's value moves the class
// score (its logit, class-score.ts), |∂score/∂pixel|, the largest over the channels.
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing } from '../data/types.ts';
import { classScore } from './class-score.ts';
import type { GraphForward } from './graph-forward.ts';
import { predictedIndex } from './integrated-gradients.ts';

export interface PixelMapResult {
  index: number;
  output: Float32Array;
  /** height × width, ≥ 0. */
  map: Float32Array;
}

/** |gradient| of the score of class `index` for each of the `copies` samples of the image input, averaged. */
export function meanAbsGradient(
  tf: typeof tfjs,
  fwd: GraphForward,
  prep: Preprocessing,
  inputs: tfjs.Tensor[],
  imageInput: number,
  image: tfjs.Tensor,
  index: number,
): Float32Array {
  return tf.tidy(() => {
    const copies = image.shape[0];
    const others = inputs.map((t) => t.tile([copies, ...t.shape.slice(1).map(() => 1)]));
    const grad = tf.grad((img: tfjs.Tensor) => {
      const all = others.map((t, i) => (i === imageInput ? img : t));
      return classScore(tf, fwd, fwd.run(all), prep, index).sum();
    })(image);
    return grad.abs().mean(0).max(-1).dataSync() as Float32Array;
  });
}

export function saliency(
  tf: typeof tfjs,
  fwd: GraphForward,
  prep: Preprocessing,
  inputs: tfjs.Tensor[],
  imageInput: number,
  target: number | null,
): PixelMapResult {
  const output = tf.tidy(() => fwd.outputOf(fwd.run(inputs)).dataSync() as Float32Array);
  const index = target ?? predictedIndex(output);
  const map = meanAbsGradient(tf, fwd, prep, inputs, imageInput, inputs[imageInput], index);
  return { index, output: Float32Array.from(output), map: Float32Array.from(map) };
}
