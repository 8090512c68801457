// One single-thread training step on the WebAssembly backend with the loss and the optimizer on the
// host, as each step of data-parallel training does (parallel/objective.ts, parallel/host-loss.ts,
// parallel/host-optimizer.ts): tfjs' Adam runs ~13 kernels per variable and its loss and metric
// ~25 more, where the host does one pass over the weights and one over the predictions. Same
// formulas as tfjs' optimizer.minimize path, so the same numbers to float rounding
// (docs/ARCHITECTURE.md, "Decisions").
import type * as tfjs from '@tensorflow/tfjs';
import type { LossName } from './losses.ts';
import { objectiveFor, shareGradients } from './parallel/objective.ts';
import { hostOptimizer } from './parallel/host-optimizer.ts';
import { assignAll } from './parallel/data-parallel.ts';
import { heapAdam } from './heap-adam.ts';
import { copyInto, endToEnd } from './parallel/host-copy.ts';

export interface HostStep {
  /** One optimisation step on a batch; returns its [loss, metric]. */
  step(inputs: tfjs.Tensor[], target: tfjs.Tensor): [number, number];
  /** Frees what the step keeps on the backend between steps. */
  dispose(): void;
}

/** The host step for this model and optimizer, or null where tfjs' own path stays (other backends,
 *  optimizers the host does not cover). */
export function hostStep(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  optimizer: tfjs.Optimizer,
  loss: LossName,
): HostStep | null {
  // GPU backends would pay a device round trip per variable; other CPU backends keep tfjs' path.
  if (tf.getBackend() !== 'wasm') return null;
  const variables = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  // Adam on the backend's heap where it can (heap-adam.ts), else on host arrays.
  const onHeap = heapAdam(tf, optimizer, variables);
  const host = onHeap
    ? null
    : hostOptimizer(
        optimizer,
        variables.map((v) => v.size),
      );
  if (!onHeap && !host) return null;
  const objective = objectiveFor(tf, loss);
  // For the host optimizer: the weights and gradients of all variables end to end, read from the
  // backend's heap each step.
  const { offsets, total } = endToEnd(variables.map((v) => v.size));
  const weights = new Float32Array(onHeap ? 0 : total);
  const grads = new Float32Array(onHeap ? 0 : total);
  const weightViews = variables.map((v, i) => weights.subarray(offsets[i], offsets[i] + v.size));
  return {
    step(inputs, target) {
      const r = shareGradients(tf, model, variables, objective, inputs, target);
      if (onHeap) {
        onHeap.apply(r.grads);
        tf.dispose(r.grads);
        return [r.loss, r.metric];
      }
      copyInto(tf, r.grads, grads, offsets);
      tf.dispose(r.grads);
      copyInto(tf, variables, weights, offsets);
      host!.applyFlat(weights, grads);
      assignAll(tf, variables, weightViews);
      return [r.loss, r.metric];
    },
    dispose: () => onHeap?.dispose(),
  };
}
