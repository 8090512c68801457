// The class score the image methods differentiate: the logit (the score before the final softmax
// or sigmoid) when the model ends in one, as Grad-CAM and saliency are defined, because a
// saturated probability has almost no gradient; otherwise the output itself (target.ts).
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing } from '../data/types.ts';
import type { GraphForward } from './graph-forward.ts';
import { scoreOf } from './target.ts';

export function classScore(
  tf: typeof tfjs,
  fwd: GraphForward,
  values: Map<string, tfjs.Tensor>,
  prep: Preprocessing,
  index: number,
): tfjs.Tensor1D {
  const logits = fwd.logitsOf(values);
  if (!logits) return scoreOf(tf, fwd.outputOf(values), prep, index);
  const flat = logits.reshape([logits.shape[0], -1]);
  // One sigmoid unit: its logit speaks for class 1, its negative for class 0.
  if (flat.shape[1] === 1) return flat.reshape([-1]).mul(index === 1 ? 1 : -1) as tfjs.Tensor1D;
  return tf.gather(flat, index, 1).reshape([-1]) as tfjs.Tensor1D;
}
