// Permutation importance (Breiman 2001; docs/EXPLAIN.md): shuffle one source column across the test
// split, keep everything else, and measure how much the test metric gets worse. Repeated with
// different shuffles; the mean is the importance and the standard deviation its spread.
import type * as tfjs from '@tensorflow/tfjs';
import { invertTarget } from '../data/index.ts';
import type { Dataset, Preprocessing, TensorData } from '../data/types.ts';
import { classIndices, predictBatches } from '../eval/evaluate.ts';
import { createRng, shuffleInPlace } from '../random.ts';
import { CAVEATS } from './caveats.ts';
import { featureGroups, type FeatureGroup } from './feature-groups.ts';
import { invalid } from './invalid.ts';
import type { PermutationResult } from './types.ts';

export interface PermutationOptions {
  repeats?: number;
  seed?: number;
}

export async function permutationImportance(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  prep: Preprocessing,
  test: Dataset,
  testX: TensorData[],
  options: PermutationOptions = {},
): Promise<PermutationResult> {
  const groups = featureGroups(prep);
  if (!groups)
    throw invalid(
      'Permutation importance shuffles table or series columns; this run was trained on images or signals, so use gradCam, saliency or smoothGrad.',
    );
  const repeats = options.repeats ?? 5;
  const rng = createRng(options.seed ?? 42);
  const n = test.y.shape[0];
  if (n < 2) throw invalid('Permutation importance needs at least 2 test samples; the test split has fewer.');
  const metric = test.task === 'classification' ? 'accuracy' : 'mse';
  const score = scorer(tf, model, prep, test);
  const baseline = await score(testX);
  const features: PermutationResult['features'] = [];
  for (const group of groups) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const order = shuffleInPlace(
        Array.from({ length: n }, (_, i) => i),
        rng,
      );
      const worse = await score(shuffledColumn(testX, group, order));
      drops.push(metric === 'accuracy' ? baseline - worse : worse - baseline);
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(drops.reduce((a, d) => a + (d - mean) ** 2, 0) / repeats);
    features.push({ name: group.name, importance: mean, std });
  }
  features.sort((a, b) => b.importance - a.importance);
  return {
    method: 'permutation',
    metric,
    baseline,
    repeats,
    samples: n,
    features,
    caveat: CAVEATS.permutation,
  };
}

/** The test metric of the model on prepared inputs x: accuracy, or mean squared error in target units. */
function scorer(tf: typeof tfjs, model: tfjs.LayersModel, prep: Preprocessing, test: Dataset) {
  return async (x: TensorData[]): Promise<number> => {
    const output = await predictBatches(tf, model, x);
    if (test.task === 'classification') {
      const truth = test.labels ?? classIndices(test.y);
      const predicted = classIndices(output);
      let right = 0;
      for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) right++;
      return right / truth.length;
    }
    const values = invertTarget(prep, output, test.x).data;
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += (values[i] - test.y.data[i]) ** 2;
    return sum / values.length;
  };
}

/** x with the group's slots of sample r taken from sample order[r] (every position of a window). */
function shuffledColumn(x: TensorData[], group: FeatureGroup, order: number[]): TensorData[] {
  return x.map((t, i) => {
    if (i !== group.input) return t;
    const n = t.shape[0];
    const row = t.data.length / n;
    const f = t.shape[t.shape.length - 1];
    const data = Float32Array.from(t.data);
    for (let r = 0; r < n; r++) {
      const from = order[r] * row;
      for (let p = 0; p < row; p += f)
        for (const s of group.slots) data[r * row + p + s] = t.data[from + p + s];
    }
    return { data, shape: t.shape };
  });
}
