// SmoothGrad (Smilkov et al. 2017; docs/EXPLAIN.md): saliency averaged over noisy copies of the image
// (Gaussian noise of 15 % of the image's value range), which removes most of the gradient's
// pixel-to-pixel noise.
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing } from '../data/types.ts';
import type { GraphForward } from './graph-forward.ts';
import { predictedIndex } from './integrated-gradients.ts';
import { meanAbsGradient, type PixelMapResult } from './saliency.ts';

export function smoothGrad(
  tf: typeof tfjs,
  fwd: GraphForward,
  prep: Preprocessing,
  inputs: tfjs.Tensor[],
  imageInput: number,
  target: number | null,
  options: { copies?: number; noise?: number; seed?: number } = {},
): PixelMapResult {
  const copies = options.copies ?? 32;
  const output = tf.tidy(() => fwd.outputOf(fwd.run(inputs)).dataSync() as Float32Array);
  const index = target ?? predictedIndex(output);
  const image = inputs[imageInput];
  const noisy = tf.tidy(() => {
    const range = image.max().sub(image.min()).dataSync()[0];
    const sigma = (options.noise ?? 0.15) * range;
    const shape = [copies, ...image.shape.slice(1)];
    return image
      .tile([copies, ...image.shape.slice(1).map(() => 1)])
      .add(tf.randomNormal(shape, 0, sigma, 'float32', options.seed ?? 42));
  });
  try {
    const map = meanAbsGradient(tf, fwd, prep, inputs, imageInput, noisy, index);
    return { index, output: Float32Array.from(output), map: Float32Array.from(map) };
  } finally {
    noisy.dispose();
  }
}
