// Categorical cross-entropy (losses.ts: −mean(Σ y·log(clip(p, ε, 1−ε)))) and its accuracy for one
// thread's share of a batch, computed on the host as one custom-gradient op. The predictions are a
// few hundred numbers ([rows, classes]), so tfjs' ~25 kernels for the loss, the metric and their
// gradients cost far more than the arithmetic; here the forward
// pass is one read of p and the gradient one upload. Same formulas as losses.ts, in float64: the
// values match tfjs' to float rounding. The gradient is tfjs' too: −y / clip(p) / rows where
// ε ≤ p ≤ 1−ε and 0 elsewhere (clipByValue passes no gradient outside its range).
import type * as tfjs from '@tensorflow/tfjs';

const EPSILON = 1e-7;

export interface HostLossResult {
  /** The mean loss, differentiable with respect to the predictions. */
  loss: tfjs.Scalar;
  /** Accuracy: the share of rows whose largest prediction is the target's class (first on ties). */
  metric: number;
}

export function categoricalCrossentropyOnHost(
  tf: typeof tfjs,
  target: tfjs.Tensor,
  pred: tfjs.Tensor,
): HostLossResult {
  const y = target.dataSync() as Float32Array;
  let metric = 0;
  const op = tf.customGrad((...args: (tfjs.Tensor | tfjs.GradSaveFunc)[]) => {
    const p = args[0] as tfjs.Tensor;
    const pv = p.dataSync() as Float32Array;
    const classes = p.shape[p.shape.length - 1] ?? 1;
    const rows = pv.length / classes;
    let sum = 0;
    let hits = 0;
    for (let i = 0; i < rows; i++) {
      const at = i * classes;
      let s = 0;
      let bestP = 0;
      let bestY = 0;
      for (let j = 0; j < classes; j++) {
        const q = pv[at + j];
        // A zero target adds nothing, so its logarithm is skipped (one per row for one-hot
        // targets); a NaN prediction there adds nothing either, as with tfjs' clip on wasm.
        if (y[at + j] !== 0)
          s += y[at + j] * Math.log(q < EPSILON ? EPSILON : q > 1 - EPSILON ? 1 - EPSILON : q);
        if (q > pv[at + bestP]) bestP = j;
        if (y[at + j] > y[at + bestY]) bestY = j;
      }
      sum += s;
      if (bestP === bestY) hits++;
    }
    metric = rows > 0 ? hits / rows : 0;
    return {
      value: tf.scalar(-sum / rows),
      gradFunc: (dy: tfjs.Scalar) => {
        const scale = -(dy.dataSync()[0] as number) / rows;
        // clipByValue's bounds as the float32 tensors tfjs compares against.
        const lo = Math.fround(EPSILON);
        const hi = Math.fround(1 - EPSILON);
        const g = new Float32Array(pv.length);
        for (let k = 0; k < g.length; k++) {
          const q = pv[k];
          g[k] = q >= lo && q <= hi ? (scale * y[k]) / q : 0;
        }
        return tf.tensor(g, p.shape);
      },
    };
  });
  return { loss: op(pred) as tfjs.Scalar, metric };
}
