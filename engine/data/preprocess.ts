// Feature scaling and missing-value imputation fitted on the TRAINING split only, stored as JSON
// (Preprocessing) so a saved run applies exactly the same transform at inference.
import type { Dataset, FeatureScaler, Preprocessing, PreprocessingSpec, ScalingKind, TensorData } from './types.ts';

/** Per last-axis feature statistics over every sample and position, ignoring NaN. */
export function featureStats(t: TensorData) {
  const f = t.shape.length > 1 ? t.shape[t.shape.length - 1] : 1;
  const count = new Float64Array(f);
  const sum = new Float64Array(f);
  const sq = new Float64Array(f);
  const min = new Array<number>(f).fill(Infinity);
  const max = new Array<number>(f).fill(-Infinity);
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i];
    if (Number.isNaN(v)) continue;
    const j = i % f;
    count[j]++;
    sum[j] += v;
    sq[j] += v * v;
    if (v < min[j]) min[j] = v;
    if (v > max[j]) max[j] = v;
  }
  const mean = Array.from(sum, (s, j) => (count[j] > 0 ? s / count[j] : 0));
  const std = Array.from(sq, (s, j) => (count[j] > 0 ? Math.sqrt(Math.max(0, s / count[j] - mean[j] ** 2)) : 0));
  return { mean, std, min: min.map((v) => (Number.isFinite(v) ? v : 0)), max: max.map((v) => (Number.isFinite(v) ? v : 0)) };
}

function fitScaler(t: TensorData, kind: ScalingKind, keep?: boolean[]): FeatureScaler {
  const s = featureStats(t);
  const unscaled = (j: number) => kind === 'none' || keep?.[j] === true;
  const offset = s.mean.map((m, j) => (unscaled(j) ? 0 : kind === 'minmax' ? s.min[j] : m));
  const scale = s.mean.map((_, j) => {
    if (unscaled(j)) return 1;
    const range = kind === 'minmax' ? s.max[j] - s.min[j] : s.std[j];
    return range > 1e-12 ? range : 1; // a constant feature is only centred
  });
  return { kind, offset, scale, fill: s.mean };
}

export function fitPreprocessing(train: Dataset, spec: PreprocessingSpec = {}): Preprocessing {
  const inputs = train.x.map((x, i) => {
    const enc = train.encodings[i];
    // Standardising images too (one mean/std per channel) matters for low-contrast pictures such as
    // the defect images: left in [0, 1] around 0.5, a CNN there stays stuck at chance.
    const kind: ScalingKind = spec.scaling ?? 'standard';
    // One-hot slots stay 0/1: only numeric tabular columns are scaled.
    const keep = enc?.kind === 'tabular' ? enc.columns.flatMap((c) => (c.kind === 'numeric' ? [false] : c.categories.map(() => true))) : undefined;
    return fitScaler(x, kind, keep);
  });
  const scaleTarget = (spec.scaleTarget ?? true) && train.task !== 'classification';
  return {
    version: 1,
    task: train.task,
    targetEncoding: train.targetEncoding,
    classNames: train.classNames,
    featureNames: train.featureNames,
    targetNames: train.targetNames,
    encodings: train.encodings,
    inputs,
    target: scaleTarget ? fitScaler(train.y, 'standard') : null,
  };
}

function transform(t: TensorData, s: FeatureScaler): TensorData {
  const f = s.offset.length;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < t.data.length; i++) {
    const j = i % f;
    const v = Number.isNaN(t.data[i]) ? s.fill[j] : t.data[i];
    out[i] = (v - s.offset[j]) / s.scale[j];
  }
  return { data: out, shape: [...t.shape] };
}

export function transformInputs(prep: Preprocessing, x: TensorData[]): TensorData[] {
  return x.map((t, i) => transform(t, prep.inputs[i]));
}

/** x scaled and imputed; y scaled when the target is; `naive` stays in target units. */
export function applyPreprocessing(prep: Preprocessing, ds: Dataset): Dataset {
  return { ...ds, x: transformInputs(prep, ds.x), y: prep.target ? transform(ds.y, prep.target) : ds.y };
}

/** Model outputs in scaled target units → target units. */
export function invertTarget(prep: Preprocessing, y: TensorData): TensorData {
  const s = prep.target;
  if (!s) return y;
  const f = s.offset.length;
  return { data: Float32Array.from(y.data, (v, i) => v * s.scale[i % f] + s.offset[i % f]), shape: [...y.shape] };
}
