// What the explain methods return (docs/EXPLAIN.md). Plain JSON-serialisable data: the CLI prints
// it with --json and EngineApi hands it to the renderer as it is.

export type ExplainMethod = 'permutation' | 'integratedGradients' | 'gradCam' | 'saliency' | 'smoothGrad';

export const EXPLAIN_METHODS: readonly ExplainMethod[] = [
  'permutation',
  'integratedGradients',
  'gradCam',
  'saliency',
  'smoothGrad',
];

/** One source column's global importance, for bar charts; sorted from most to least important. */
export interface FeatureImportance {
  name: string;
  importance: number;
  /** Spread over the permutation repeats (permutation importance only). */
  std?: number;
}

/** What the attributions explain: a class's probability, or one regression/forecast output. */
export interface AttributionTarget {
  /** Class name, or the output's name (target column, "t+1", …). */
  name: string;
  /** Class index or output column. */
  index: number;
}

/** Integrated gradients of one table row or one series window. */
export interface SampleAttribution {
  /** "row 2" for CSV rows, "test 5" for test-split samples. */
  row: string;
  /** Test-split samples: the true class or value. */
  actual?: string;
  target: AttributionTarget;
  /** The explained quantity for the sample and for the baseline (probability, or target units). */
  prediction: number;
  baselinePrediction: number;
  /** Tables: per source column (one-hot slots summed). Sum = prediction − baselinePrediction. */
  attributions: Record<string, number>;
  /** Series: per time step (features summed), oldest first; absent for tables. */
  steps?: number[];
  /** |Σ attributions − (prediction − baselinePrediction)|, the completeness check. */
  completenessError: number;
  /** Interpolation steps the integral needed to meet the completeness tolerance. */
  integrationSteps: number;
}

/** A heat map over an image, row-major, values in [0, 1] (1 = most influential). */
export interface HeatMap {
  width: number;
  height: number;
  values: number[];
}

export interface ImageExplanation {
  row: string;
  /** Test-split samples: the true class. */
  actual?: string;
  target: AttributionTarget;
  /** The class the model predicts and its probability. */
  predicted: string;
  probability: number;
  heatmap: HeatMap;
  /** Written when the caller gave an output folder: the overlay PNG's file name in it. */
  file?: string;
}

export interface PermutationResult {
  method: 'permutation';
  /** The test metric whose drop measures importance: accuracy (classification) or mse (regression). */
  metric: 'accuracy' | 'mse';
  /** The metric on the unshuffled test split. */
  baseline: number;
  repeats: number;
  samples: number;
  features: FeatureImportance[];
  caveat: string;
}

export interface AttributionResult {
  method: 'integratedGradients';
  /** Mean |attribution| per column over the explained samples, sorted (tables). */
  features?: FeatureImportance[];
  /** Series: the window's column names, for the per-step attribution. */
  columns?: string[];
  predictions: SampleAttribution[];
  caveat: string;
}

export interface ImageResult {
  method: 'gradCam' | 'saliency' | 'smoothGrad';
  /** Grad-CAM: the conv layer (node id) whose activations are weighted. */
  layer?: string;
  /** Grad-CAM: every conv layer one may choose instead. */
  layers?: string[];
  examples: ImageExplanation[];
  caveat: string;
}

export type ExplainResult = PermutationResult | AttributionResult | ImageResult;
