// Loss and training-metric functions by the Output node's loss name (Keras semantics: outputs are
// probabilities for the cross-entropies, so a softmax/sigmoid layer comes before Output).
import type * as tfjs from '@tensorflow/tfjs';

export type LossName =
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError';

export const LOSS_NAMES: readonly LossName[] = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
];

/** The metric shown during training: accuracy for classification losses, mean absolute error otherwise. */
export type TrainMetricName = 'accuracy' | 'mae';

export const metricNameFor = (loss: LossName): TrainMetricName =>
  loss === 'meanSquaredError' || loss === 'meanAbsoluteError' ? 'mae' : 'accuracy';

type Fn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Scalar;

const EPSILON = 1e-7;

function indexLabels(tf: typeof tfjs, yTrue: tfjs.Tensor): tfjs.Tensor1D {
  return tf.cast(tf.reshape(yTrue, [-1]), 'int32') as tfjs.Tensor1D;
}

/** Mean loss over the batch (a scalar). */
export function lossFunction(tf: typeof tfjs, loss: LossName): Fn {
  const fn = rawLoss(tf, loss);
  return (y, p) => fn(y, p) as tfjs.Scalar;
}

function rawLoss(tf: typeof tfjs, loss: LossName): (y: tfjs.Tensor, p: tfjs.Tensor) => tfjs.Tensor {
  switch (loss) {
    case 'categoricalCrossentropy':
      return (y, p) =>
        tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON))), -1)));
    case 'sparseCategoricalCrossentropy':
      return (y, p) => {
        const classes = p.shape[p.shape.length - 1]!;
        const oneHot = tf.oneHot(indexLabels(tf, y), classes);
        return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON))), -1)));
      };
    case 'binaryCrossentropy':
      return (y, p) => {
        const q = tf.clipByValue(p, EPSILON, 1 - EPSILON);
        return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))));
      };
    case 'meanSquaredError':
      return (y, p) => tf.mean(tf.squaredDifference(y, p));
    case 'meanAbsoluteError':
      return (y, p) => tf.mean(tf.abs(tf.sub(y, p)));
  }
}

/** The training metric averaged over the batch (a scalar). */
export function metricFunction(tf: typeof tfjs, loss: LossName): Fn {
  switch (loss) {
    case 'categoricalCrossentropy':
      return (y, p) => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32'));
    case 'sparseCategoricalCrossentropy':
      return (y, p) => tf.mean(tf.cast(tf.equal(tf.argMax(p, -1), indexLabels(tf, y)), 'float32'));
    case 'binaryCrossentropy':
      return (y, p) => tf.mean(tf.cast(tf.equal(tf.greater(p, 0.5), tf.greater(y, 0.5)), 'float32'));
    case 'meanSquaredError':
    case 'meanAbsoluteError':
      return (y, p) => tf.mean(tf.abs(tf.sub(y, p)));
  }
}
