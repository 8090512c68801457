// Integrated gradients of table rows and series windows, reported per source column (one-hot slots
// summed) and, for windows, per time step; regression outputs in target units.
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing, TensorData } from '../data/types.ts';
import { baselineInputs } from './baseline.ts';
import { CAVEATS } from './caveats.ts';
import { featureGroups } from './feature-groups.ts';
import { integratedGradients, type IntegratedGradientsOptions } from './integrated-gradients.ts';
import { invalid } from './invalid.ts';
import { outputNames, targetUnits } from './target.ts';
import type { AttributionResult, AttributionTarget, FeatureImportance, SampleAttribution } from './types.ts';

export function columnAttributions(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  prep: Preprocessing,
  x: TensorData[],
  rowLabels: string[],
  target: AttributionTarget | null,
  options: IntegratedGradientsOptions & { raw?: TensorData[] } = {},
): AttributionResult {
  const groups = featureGroups(prep);
  if (!groups)
    throw invalid(
      'Integrated gradients here explains table and series columns; for an image model use gradCam, saliency or smoothGrad.',
    );
  const window = prep.encodings[0]?.kind === 'window' ? prep.encodings[0] : null;
  const baseline = baselineInputs(
    prep,
    x.map((t) => t.shape.slice(1)),
  );
  const columns = model.outputs[0].shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  const names = outputNames(prep, columns);
  const predictions: SampleAttribution[] = rowLabels.map((row, s) => {
    const raw = integratedGradients(tf, model, prep, x, s, baseline, target, options);
    const { scale: unit, offset } = targetUnits(prep, raw.index);
    const attributions: Record<string, number> = {};
    for (const g of groups) {
      const a = raw.perInput[g.input];
      const f = x[g.input].shape[x[g.input].shape.length - 1];
      let sum = 0;
      for (let p = 0; p < a.length; p += f) for (const slot of g.slots) sum += a[p + slot];
      attributions[g.name] = sum * unit;
    }
    const result: SampleAttribution = {
      row,
      target: { name: names[raw.index], index: raw.index },
      prediction: raw.score * unit + offset,
      baselinePrediction: raw.baselineScore * unit + offset,
      attributions,
      completenessError: raw.completenessError * unit,
      integrationSteps: raw.steps,
    };
    if (window) {
      const a = raw.perInput[0];
      const f = window.columns.length;
      const values = options.raw?.[0];
      if (values)
        result.window = Object.fromEntries(
          window.columns.map((name, j) => [
            name,
            Array.from({ length: a.length / f }, (_, t) => values.data[s * a.length + t * f + j]),
          ]),
        );
      result.steps = Array.from(
        { length: a.length / f },
        (_, t) => a.subarray(t * f, (t + 1) * f).reduce((acc, v) => acc + v, 0) * unit,
      );
    }
    return result;
  });
  return {
    method: 'integratedGradients',
    features: meanAbsolute(
      predictions,
      groups.map((g) => g.name),
    ),
    ...(window ? { columns: window.columns } : {}),
    predictions,
    caveat: CAVEATS.integratedGradients,
  };
}

/** Mean |attribution| per column over the samples, most important first. */
function meanAbsolute(predictions: SampleAttribution[], names: string[]): FeatureImportance[] {
  return names
    .map((name) => ({
      name,
      importance:
        predictions.reduce((acc, p) => acc + Math.abs(p.attributions[name]), 0) /
        Math.max(1, predictions.length),
    }))
    .sort((a, b) => b.importance - a.importance);
}
