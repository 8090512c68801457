// Class activation maps from gradients (docs/EXPLAIN.md): a conv layer's activation maps weighted by
// the gradient of the class score, summed over the channels, kept where positive and resized to the
// image. Grad-CAM (Selvaraju et al. 2017) weights each map by its mean gradient; Layer-CAM (Jiang et
// al. 2021) weights each position by its own positive gradient, so a channel that speaks against
// the class elsewhere does not cancel the evidence where the object is. The last conv layer is the
// default: the most class-specific maps that still have a place; in a model ending in one map per
// class (1×1 conv, global average pooling, softmax) it is the class-map layer, where Grad-CAM is the
// class's own map (docs/EXPLAIN.md, "Class-map models").
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing } from '../data/types.ts';
import type { GraphForward } from './graph-forward.ts';
import { predictedIndex } from './integrated-gradients.ts';
import { invalid } from './invalid.ts';
import { classScore } from './class-score.ts';

export type CamWeighting = 'gradCam' | 'layerCam';

/** Layers Grad-CAM can use: live nodes with a [height, width, channels] output, conv layers first-class. */
export function camLayers(fwd: GraphForward): string[] {
  return fwd.order.filter((id) => fwd.types.get(id) === 'Conv2D');
}

export function chooseCamLayer(fwd: GraphForward, wanted: string | undefined): string {
  const convs = camLayers(fwd);
  if (wanted === undefined) {
    if (convs.length === 0)
      throw invalid(
        'Grad-CAM and Layer-CAM need a Conv2D layer in the model; this one has none, so use saliency or smoothGrad.',
      );
    return convs[convs.length - 1];
  }
  const rank = fwd.shapes.get(wanted)?.length;
  if (!fwd.order.includes(wanted) || rank !== 3)
    throw invalid(
      `--layer must name a layer with an image-shaped output, e.g. ${convs.map((c) => `"${c}"`).join(', ') || 'a Conv2D node'}; "${wanted}" is not one.`,
    );
  return wanted;
}

export interface CamResult {
  index: number;
  /** The model's output row for the sample. */
  output: Float32Array;
  /** The map at the image's height × width (unnormalised, ≥ 0). */
  map: Float32Array;
}

/** The CAM of one sample (`inputs`: one [1, ...] tensor per model input) for class `target` (null: predicted). */
export function gradCam(
  tf: typeof tfjs,
  fwd: GraphForward,
  prep: Preprocessing,
  inputs: tfjs.Tensor[],
  imageInput: number,
  layer: string,
  target: number | null,
  weighting: CamWeighting = 'gradCam',
): CamResult {
  return tf.tidy(() => {
    const values = fwd.run(inputs);
    const activations = values.get(layer)!;
    const output = fwd.outputOf(values).dataSync() as Float32Array;
    const index = target ?? predictedIndex(output);
    const grad = tf.grad((a: tfjs.Tensor) =>
      classScore(tf, fwd, fwd.run(inputs, new Map([[layer, a]])), prep, index).sum(),
    )(activations);
    const cam =
      weighting === 'layerCam'
        ? activations.mul(tf.relu(grad)).sum(-1, true)
        : tf.relu(activations.mul(grad.mean([1, 2], true)).sum(-1, true));
    const [, height, width] = inputs[imageInput].shape;
    const map = tf.image
      .resizeBilinear(cam as tfjs.Tensor4D, [height!, width!], false, true)
      .dataSync() as Float32Array;
    return { index, output: Float32Array.from(output), map: Float32Array.from(map) };
  });
}
