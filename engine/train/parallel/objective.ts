// What one thread computes for its share of a batch: the gradients of the training objective
// (the loss plus any regularisation losses) for the given variables, the loss and the training
// metric. The same code runs in the trainer and in each replica worker.
import type * as tfjs from '@tensorflow/tfjs';
import { lossFunction, metricFunction, type LossName } from '../losses.ts';
import { categoricalCrossentropyOnHost } from './host-loss.ts';

export interface ShareResult {
  loss: number;
  metric: number;
  /** One gradient per variable, in the variables' order (the caller disposes them). */
  grads: tfjs.Tensor[];
}

/** The loss (differentiable) and the metric of predictions `pred` for `target`. */
export type Objective = (
  target: tfjs.Tensor,
  pred: tfjs.Tensor,
) => { loss: tfjs.Scalar; metric: tfjs.Scalar | number };

/** losses.ts' loss and metric; categorical cross-entropy in one host-side op (host-loss.ts). */
export function objectiveFor(tf: typeof tfjs, loss: LossName): Objective {
  if (loss === 'categoricalCrossentropy') return (y, p) => categoricalCrossentropyOnHost(tf, y, p);
  const lossFn = lossFunction(tf, loss);
  const metricFn = metricFunction(tf, loss);
  return (y, p) => ({ loss: lossFn(y, p), metric: tf.keep(metricFn(y, p)) });
}

export function shareGradients(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  variables: tfjs.Variable[],
  objective: Objective,
  inputs: tfjs.Tensor[],
  target: tfjs.Tensor,
): ShareResult {
  let metric: tfjs.Scalar | number = 0;
  const { value, grads } = tf.variableGrads(() => {
    const pred = model.apply(inputs.length === 1 ? inputs[0] : inputs, { training: true }) as tfjs.Tensor;
    const o = objective(target, pred);
    metric = o.metric;
    let total = o.loss;
    for (const r of model.calculateLosses()) total = tf.add(total, r);
    return total;
  }, variables);
  const m = metric as tfjs.Scalar | number;
  const result = {
    loss: value.dataSync()[0],
    metric: typeof m === 'number' ? m : m.dataSync()[0],
    grads: variables.map((v) => grads[v.name]),
  };
  tf.dispose(typeof m === 'number' ? [value] : [value, m]);
  return result;
}
