// Feature scaling and missing-value imputation fitted on the TRAINING split only, stored as JSON
// (Preprocessing) so a saved run applies exactly the same transform at inference.
import type {
  Dataset,
  FeatureScaler,
  InputEncoding,
  Preprocessing,
  PreprocessingSpec,
  ScalingKind,
  TensorData,
} from './types.ts';

type WindowEncoding = Extract<InputEncoding, { kind: 'window' }>;
const relativeWindow = (enc: InputEncoding | undefined): WindowEncoding | null =>
  enc?.kind === 'window' && enc.relative ? enc : null;

/** Each window minus its own last step, per feature: the model sees changes, not levels. */
function relativeX(t: TensorData, enc: WindowEncoding): TensorData {
  const f = enc.columns.length;
  const per = enc.length * f;
  const out = new Float32Array(t.data.length);
  for (let s = 0; s * per < t.data.length; s++) {
    const last = (s + 1) * per - f;
    for (let i = 0; i < per; i++) out[s * per + i] = t.data[s * per + i] - t.data[last + (i % f)];
  }
  return { data: out, shape: [...t.shape] };
}

/** Per sample, the last value of the forecast column in its window (the naive forecast). */
function lastTargets(t: TensorData, enc: WindowEncoding): Float32Array {
  const f = enc.columns.length;
  const per = enc.length * f;
  return Float32Array.from(
    { length: t.data.length / per },
    (_, s) => t.data[(s + 1) * per - f + enc.targetIndex],
  );
}

function shiftTarget(y: TensorData, last: Float32Array, sign: 1 | -1): TensorData {
  const h = y.data.length / Math.max(1, last.length);
  return {
    data: Float32Array.from(y.data, (v, i) => v + sign * last[Math.floor(i / h)]),
    shape: [...y.shape],
  };
}

/**
 * Per-feature count, sum, sum of squares, min and max, ignoring NaN, added row after row: the
 * in-memory and the streamed loader (engine/data/stream/) feed it the training rows in the same
 * order, so both fit exactly the same preprocessing.
 */
export class FeatureStatsAccumulator {
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly sq: Float64Array;
  readonly min: number[];
  readonly max: number[];
  constructor(readonly features: number) {
    this.count = new Float64Array(features);
    this.sum = new Float64Array(features);
    this.sq = new Float64Array(features);
    this.min = new Array<number>(features).fill(Infinity);
    this.max = new Array<number>(features).fill(-Infinity);
  }

  /** Values `from`..`to` of `data`, whose element `from` is feature 0. */
  add(data: ArrayLike<number>, from = 0, to = data.length): void {
    const f = this.features;
    for (let i = from; i < to; i++) {
      const v = data[i];
      if (Number.isNaN(v)) continue;
      const j = (i - from) % f;
      this.count[j]++;
      this.sum[j] += v;
      this.sq[j] += v * v;
      if (v < this.min[j]) this.min[j] = v;
      if (v > this.max[j]) this.max[j] = v;
    }
  }

  result(): FeatureStats {
    const { count, sum, sq, min, max } = this;
    const mean = Array.from(sum, (s, j) => (count[j] > 0 ? s / count[j] : 0));
    const std = Array.from(sq, (s, j) =>
      count[j] > 0 ? Math.sqrt(Math.max(0, s / count[j] - mean[j] ** 2)) : 0,
    );
    return {
      mean,
      std,
      min: min.map((v) => (Number.isFinite(v) ? v : 0)),
      max: max.map((v) => (Number.isFinite(v) ? v : 0)),
    };
  }
}

export interface FeatureStats {
  mean: number[];
  std: number[];
  min: number[];
  max: number[];
}

/** Per last-axis feature statistics over every sample and position, ignoring NaN. */
export function featureStats(t: TensorData): FeatureStats {
  const acc = new FeatureStatsAccumulator(t.shape.length > 1 ? t.shape[t.shape.length - 1] : 1);
  acc.add(t.data);
  return acc.result();
}

export function scalerFromStats(s: FeatureStats, kind: ScalingKind, keep?: boolean[]): FeatureScaler {
  const unscaled = (j: number) => kind === 'none' || keep?.[j] === true;
  const offset = s.mean.map((m, j) => (unscaled(j) ? 0 : kind === 'minmax' ? s.min[j] : m));
  const scale = s.mean.map((_, j) => {
    if (unscaled(j)) return 1;
    const range = kind === 'minmax' ? s.max[j] - s.min[j] : s.std[j];
    return range > 1e-12 ? range : 1; // a constant feature is only centred
  });
  return { kind, offset, scale, fill: s.mean };
}

const fitScaler = (t: TensorData, kind: ScalingKind, keep?: boolean[]): FeatureScaler =>
  scalerFromStats(featureStats(t), kind, keep);

/** One-hot slots stay 0/1: only numeric tabular columns are scaled. */
export function unscaledSlots(enc: InputEncoding | undefined): boolean[] | undefined {
  return enc?.kind === 'tabular'
    ? enc.columns.flatMap((c) => (c.kind === 'numeric' ? [false] : c.categories.map(() => true)))
    : undefined;
}

export function fitPreprocessing(train: Dataset, spec: PreprocessingSpec = {}): Preprocessing {
  const inputs = train.x.map((x, i) => {
    const enc = train.encodings[i];
    // Standardising images too (one mean/std per channel) matters for low-contrast pictures such as
    // the defect images: left in [0, 1] around 0.5, a CNN there stays stuck at chance.
    const kind: ScalingKind = spec.scaling ?? 'standard';
    const keep = unscaledSlots(enc);
    const rel = relativeWindow(enc);
    return fitScaler(rel ? relativeX(x, rel) : x, kind, keep);
  });
  const rel = relativeWindow(train.encodings[0]);
  const y = rel ? shiftTarget(train.y, lastTargets(train.x[0], rel), -1) : train.y;
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
    target: scaleTarget ? fitScaler(y, 'standard') : rel ? fitScaler(y, 'none') : null,
  };
}

/**
 * The preprocessing of a single-input tabular dataset from its training rows' statistics (the
 * streamed loader sums them on disk; fitPreprocessing sums the same rows in memory).
 */
export function preprocessingFromStats(
  train: Dataset,
  x: FeatureStats[],
  y: FeatureStats,
  spec: PreprocessingSpec = {},
): Preprocessing {
  const kind: ScalingKind = spec.scaling ?? 'standard';
  const scaleTarget = (spec.scaleTarget ?? true) && train.task !== 'classification';
  return {
    version: 1,
    task: train.task,
    targetEncoding: train.targetEncoding,
    classNames: train.classNames,
    featureNames: train.featureNames,
    targetNames: train.targetNames,
    encodings: train.encodings,
    inputs: x.map((s, i) => scalerFromStats(s, kind, unscaledSlots(train.encodings[i]))),
    target: scaleTarget ? scalerFromStats(y, 'standard') : null,
  };
}

function transform(t: TensorData, s: FeatureScaler): TensorData {
  const out = new Float32Array(t.data.length);
  scaleInto(t.data, out, s);
  return { data: out, shape: [...t.shape] };
}

/** `out[i]` = `data[i]` scaled (missing values filled first); `data` starts at a sample's feature 0. */
export function scaleInto(data: Float32Array, out: Float32Array, s: FeatureScaler): void {
  const f = s.offset.length;
  for (let i = 0; i < data.length; i++) {
    const j = i % f;
    const v = Number.isNaN(data[i]) ? s.fill[j] : data[i];
    out[i] = (v - s.offset[j]) / s.scale[j];
  }
}

export function transformInputs(prep: Preprocessing, x: TensorData[]): TensorData[] {
  return x.map((t, i) => {
    const rel = relativeWindow(prep.encodings[i]);
    return transform(rel ? relativeX(t, rel) : t, prep.inputs[i]);
  });
}

/** x scaled and imputed; y scaled (and made relative) when the target is; `naive` stays in target units. */
export function applyPreprocessing(prep: Preprocessing, ds: Dataset): Dataset {
  const rel = relativeWindow(prep.encodings[0]);
  const y = rel ? shiftTarget(ds.y, lastTargets(ds.x[0], rel), -1) : ds.y;
  return { ...ds, x: transformInputs(prep, ds.x), y: prep.target ? transform(y, prep.target) : y };
}

/**
 * Model outputs in scaled target units → target units. `rawX` (the unscaled inputs the outputs came
 * from) is needed when the window is relative: each prediction is a change from its window's last value.
 */
export function invertTarget(prep: Preprocessing, y: TensorData, rawX?: TensorData[]): TensorData {
  const s = prep.target;
  if (!s) return y;
  const f = s.offset.length;
  const out: TensorData = {
    data: Float32Array.from(y.data, (v, i) => v * s.scale[i % f] + s.offset[i % f]),
    shape: [...y.shape],
  };
  const rel = relativeWindow(prep.encodings[0]);
  if (!rel) return out;
  if (!rawX)
    throw new Error('invertTarget needs the raw inputs for a relative window (data.window.relative).');
  return shiftTarget(out, lastTargets(rawX[0], rel), 1);
}
