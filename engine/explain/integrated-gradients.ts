// Integrated gradients (Sundararajan et al. 2017; docs/EXPLAIN.md): the gradient of the explained
// score averaged along the straight path from a baseline input to the sample, times the
// difference between them. The attributions of a sample add up to score(sample) − score(baseline)
// when the integral is exact; the number of interpolation steps is doubled until they do to
// `tolerance`, so every result reports its own completeness error.
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing, TensorData } from '../data/types.ts';
import { scoreOf } from './target.ts';
import type { AttributionTarget } from './types.ts';

export interface IntegratedGradientsOptions {
  /** Completeness tolerance on the score in model units (probability for classes). */
  tolerance?: number;
  /** Interpolation steps to start with and the most to try. */
  minSteps?: number;
  maxSteps?: number;
  /** Path points per forward/backward pass. */
  chunk?: number;
}

export interface RawAttribution {
  /** Per model input: one value per element of the sample (its shape without the batch). */
  perInput: Float32Array[];
  /** Output column explained (the predicted class when none was chosen). */
  index: number;
  score: number;
  baselineScore: number;
  completenessError: number;
  steps: number;
}

type Apply = (inputs: tfjs.Tensor[]) => tfjs.Tensor;

/** The model called on several or one inputs, in inference mode. */
export function applyModel(model: tfjs.LayersModel): Apply {
  return (inputs) =>
    model.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false }) as tfjs.Tensor;
}

/** Index of the class predicted from one output row (argmax, or p > 0.5 for one sigmoid unit). */
export function predictedIndex(row: ArrayLike<number>): number {
  if (row.length === 1) return row[0] > 0.5 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

/**
 * Attributions of sample `s` of the prepared inputs `x` against `baseline` (one sample per input),
 * for output `target` (null: the predicted class).
 */
export function integratedGradients(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  prep: Preprocessing,
  x: TensorData[],
  s: number,
  baseline: TensorData[],
  target: AttributionTarget | null,
  options: IntegratedGradientsOptions = {},
): RawAttribution {
  const tolerance = options.tolerance ?? 1e-4;
  const maxSteps = options.maxSteps ?? 4096;
  const chunk = options.chunk ?? 256;
  const apply = applyModel(model);
  const sizes = x.map((t) => t.data.length / t.shape[0]);
  const sample = x.map((t, i) => t.data.subarray(s * sizes[i], (s + 1) * sizes[i]));
  const shapes = x.map((t) => t.shape.slice(1));
  const one = (data: Float32Array[]) => data.map((d, i) => tf.tensor(d, [1, ...shapes[i]]));

  const { index, score, baselineScore } = tf.tidy(() => {
    const out = apply(one(sample));
    const index = target?.index ?? predictedIndex(out.dataSync());
    const score = scoreOf(tf, out, prep, index).dataSync()[0];
    const baselineScore = scoreOf(tf, apply(one(baseline.map((b) => b.data))), prep, index).dataSync()[0];
    return { index, score, baselineScore };
  });
  const delta = sample.map((d, i) => Float32Array.from(d, (v, k) => v - baseline[i].data[k]));
  const gradOf = tf.grads((...inputs: tfjs.Tensor[]) => scoreOf(tf, apply(inputs), prep, index).sum());

  let steps = options.minSteps ?? 32;
  for (;;) {
    const sums = sizes.map((n) => new Float64Array(n));
    for (let start = 0; start < steps; start += chunk) {
      const m = Math.min(chunk, steps - start);
      const grads = tf.tidy(() => {
        // Midpoints of `steps` equal intervals of α in [0, 1].
        const alphas = tf.tensor1d(Array.from({ length: m }, (_, k) => (start + k + 0.5) / steps));
        const path = baseline.map((b, i) => {
          const alpha = alphas.reshape([m, ...shapes[i].map(() => 1)]);
          const base = tf.tensor(b.data, [1, ...shapes[i]]);
          return base.add(alpha.mul(tf.tensor(delta[i], [1, ...shapes[i]])));
        });
        return gradOf(path).map((g) => g.sum(0).dataSync() as Float32Array);
      });
      grads.forEach((g, i) => g.forEach((v, k) => (sums[i][k] += v)));
    }
    const perInput = sums.map((sum, i) => Float32Array.from(sum, (v, k) => (v / steps) * delta[i][k]));
    let total = 0;
    for (const a of perInput) for (const v of a) total += v;
    const completenessError = Math.abs(total - (score - baselineScore));
    if (completenessError <= tolerance || steps >= maxSteps)
      return { perInput, index, score, baselineScore, completenessError, steps };
    steps *= 2;
  }
}
