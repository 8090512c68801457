// The data contract between the data module (engine/data/) and its consumers (training, evaluation,
// predict, the data preview). Everything here is plain data: a Dataset is numbers in Float32Arrays
// with their shapes, a Preprocessing is JSON that a run saves beside its model so inference applies
// exactly the transform that training used.
import type { ProjectData } from '../project/schema.ts';

/** A dense row-major tensor without tfjs: `data.length === shape.reduce((a, b) => a * b, 1)`. */
export interface TensorData {
  data: Float32Array;
  shape: number[];
}

/**
 * classification: y is one-hot [N, classes], or [N, 1] holding 0/1 (binary: a one-unit sigmoid output),
 *   or [N, 1] holding the class index (sparseCategoricalCrossentropy), see `targetEncoding`.
 * regression: y is [N, k] in target units.
 * forecast: a windowed series; y is [N, horizon] in target units and `naive` holds the last-value baseline.
 */
export type Task = 'classification' | 'regression' | 'forecast';

export type TargetEncoding = 'onehot' | 'binary' | 'index' | 'value';

/** How one model input was built from the source, kept so `predict` can encode a new file the same way. */
export type InputEncoding =
  | {
      kind: 'tabular';
      /** The source columns that feed the input, in order; categorical ones expand to one-hot slots. */
      columns: TabularColumn[];
    }
  | { kind: 'image'; height: number; width: number; channels: 1 | 3 }
  | {
      kind: 'window';
      length: number;
      horizon: number;
      /** Column names of the series, one per feature on the last axis. */
      columns: string[];
      /** Index (in `columns`) of the forecast column. */
      targetIndex: number;
      /** data.window.relative: inputs and target are taken relative to each window's last step. */
      relative?: boolean;
    }
  /** Builtin tensors with no per-column meaning (e.g. synthetic vibration windows). */
  | { kind: 'raw'; shape: number[] };

export type TabularColumn =
  { name: string; kind: 'numeric' } | { name: string; kind: 'categorical'; categories: string[] };

export interface Dataset {
  task: Task;
  /** One tensor per model Input node, in graph input order; shape [N, ...inputShape]. May hold NaN for missing values (imputed by applyPreprocessing). */
  x: TensorData[];
  /** Targets, shape [N, k]; see Task and targetEncoding. */
  y: TensorData;
  targetEncoding: TargetEncoding;
  /** Classification: the class index of each sample (whatever targetEncoding is). */
  labels?: Int32Array;
  classNames?: string[];
  /** Names of the last-axis features of x[0] after encoding (e.g. "color=red"); with data.inputs, of every input in order. */
  featureNames?: string[];
  /** Names of the target columns (regression / forecast). */
  targetNames?: string[];
  /** Forecast: the naive last-value prediction per sample, shape like y, in target units. */
  naive?: TensorData;
  /** One per model input, for predict and for the saved preprocessing. */
  encodings: InputEncoding[];
  /** Plain sentences: missing values imputed, rows skipped, synthetic data, … */
  warnings: string[];
  /** Tables: the source row of each sample (a CSV file's line number), for the run's split.json. */
  sourceRows?: number[];
  /** e.g. "builtin:iris", "csv:data/loans.csv". */
  source: string;
}

export interface LoadContext {
  /** Folder of the project file; relative csv:/images: paths resolve against it. */
  projectDir: string;
  /** Per model Input node, its shape without the batch dimension (from inspect). */
  inputShapes: number[][];
  /** The Input node ids, same order as inputShapes (compileGraph's inputIds); needed by data.inputs. */
  inputIds?: string[];
  /** Per model Output node, its shape without batch, and its loss; used to pick the target encoding. */
  outputShapes?: number[][];
  losses?: string[];
  seed: number;
}

export interface SplitOptions {
  /** Fraction held out for the final test metrics (default data.testSplit ?? 0.2). */
  testSplit: number;
  /** Fraction of the remaining rows used for validation during training (default 0). */
  validationSplit: number;
  seed: number;
  /** Keep class proportions in each split (default: true for classification). */
  stratify?: boolean;
  /** Split in time order without shuffling (default: true for forecast). */
  chronological?: boolean;
}

export interface Splits {
  train: Dataset;
  validation: Dataset | null;
  test: Dataset;
  /** Row indices into the full dataset, for reproducibility reports. */
  indices: { train: number[]; validation: number[]; test: number[] };
}

export type ScalingKind = 'standard' | 'minmax' | 'none';

/** Per-feature affine transform x' = (x - offset) / scale, fitted on training rows only. */
export interface FeatureScaler {
  kind: ScalingKind;
  offset: number[];
  scale: number[];
  /** Training-row mean per feature, used to fill missing values. */
  fill: number[];
}

/** JSON-serialisable; saved with each run (preprocessing.json). */
export interface Preprocessing {
  version: 1;
  task: Task;
  targetEncoding: TargetEncoding;
  classNames?: string[];
  featureNames?: string[];
  targetNames?: string[];
  encodings: InputEncoding[];
  /** One per model input; scales the last axis of x. */
  inputs: FeatureScaler[];
  /** Regression / forecast target scaling (null for classification or when off). */
  target: FeatureScaler | null;
}

export interface PreprocessingSpec {
  /** data.scaling: default 'standard' (images: one mean / std per channel; one-hot slots are never scaled). */
  scaling?: ScalingKind;
  /** data.scaleTarget: scale regression / forecast targets too (default true). */
  scaleTarget?: boolean;
}

/**
 * What kind of bad data (it picks the CLI exit code and the EngineError code):
 * 'unreadable': a file or folder that can't be found, opened, read, or decoded as its format at all;
 * 'invalid': data that was read, but is wrong for the project (a bad cell, a missing column, too few rows…).
 */
export type DataErrorKind = 'unreadable' | 'invalid';

/** Bad data: the message is one plain sentence naming the file, row and column where it can. */
export class DataError extends Error {
  constructor(
    message: string,
    public readonly kind: DataErrorKind,
    public readonly where?: { file?: string; row?: number; column?: string },
  ) {
    super(message);
    this.name = 'DataError';
  }
}

/** The data spec keys this module reads from a project's `data` object (see docs/DATA.md). */
export type DataSpec = ProjectData & {
  features?: string[];
  /** Tabular sources: Input node id → the feature columns it receives (several model inputs). */
  inputs?: Record<string, string[]>;
  ignore?: string[];
  task?: Task;
  scaling?: ScalingKind;
  scaleTarget?: boolean;
  shuffle?: boolean;
  /** csv: whether the first row is a header (default: detected). */
  header?: boolean;
  window?: {
    length: number;
    horizon?: number;
    stride?: number;
    column?: string;
    features?: string[];
    relative?: boolean;
  };
  /** builtin:stocks — which symbol (default "AAPL"). */
  symbol?: string;
  /** builtin synthetic sets and mnist: how many samples to use. */
  samples?: number;
};

/*
 * Functions (implemented in engine/data/index.ts):
 *   loadDataset(data: ProjectData, ctx: LoadContext): Promise<Dataset>
 *   splitDataset(ds: Dataset, opts: SplitOptions): Splits
 *   kFoldSplits(ds: Dataset, k: number, seed: number): { train: Dataset; test: Dataset }[]
 *   subsetDataset(ds: Dataset, indices: number[]): Dataset
 *   fitPreprocessing(train: Dataset, spec: PreprocessingSpec): Preprocessing
 *   applyPreprocessing(prep: Preprocessing, ds: Dataset): Dataset   // x scaled + NaN imputed, y scaled; naive stays in target units
 *   transformInputs(prep: Preprocessing, x: TensorData[]): TensorData[]  // the x half of applyPreprocessing
 *   invertTarget(prep: Preprocessing, y: TensorData, rawX?: TensorData[]): TensorData  // model output → target units;
 *     // rawX (the unscaled inputs the output came from) is required when the window is relative
 *   loadPredictInputs(prep: Preprocessing, file: string): Promise<{ x: TensorData[]; rowLabels: string[]; warnings: string[] }>
 *     // raw (unscaled) inputs from a CSV (tabular: one sample per row; window: the last `length` rows) or a PNG/JPEG image
 *   previewData(data: ProjectData, projectDir: string): Promise<DataPreview>
 */
