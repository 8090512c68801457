// What one thread computes for its share of a batch: the gradients of the training objective
// (the loss plus any regularisation losses) for the given variables, the loss and the training
// metric. The same code runs in the trainer and in each replica worker.
import type * as tfjs from '@tensorflow/tfjs';

type Fn = (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Scalar;

export interface ShareResult {
  loss: number;
  metric: number;
  /** One gradient per variable, in the variables' order (the caller disposes them). */
  grads: tfjs.Tensor[];
}

export function shareGradients(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  variables: tfjs.Variable[],
  lossFn: Fn,
  metricFn: Fn,
  inputs: tfjs.Tensor[],
  target: tfjs.Tensor,
): ShareResult {
  let metric: tfjs.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const pred = model.apply(inputs.length === 1 ? inputs[0] : inputs, { training: true }) as tfjs.Tensor;
    metric = tf.keep(metricFn(target, pred));
    let total = lossFn(target, pred);
    for (const r of model.calculateLosses()) total = tf.add(total, r);
    return total as tfjs.Scalar;
  }, variables);
  const result = {
    loss: value.dataSync()[0],
    metric: metric!.dataSync()[0],
    grads: variables.map((v) => grads[v.name]),
  };
  tf.dispose([value, metric!]);
  return result;
}
