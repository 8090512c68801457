// What the explain methods return (docs/EXPLAIN.md). Plain JSON-serialisable data: the CLI prints
// it with --json and EngineApi hands it to the renderer as it is.

export const EXPLAIN_METHODS = [
  'permutation',
  'integratedGradients',
  'gradCam',
  'layerCam',
  'saliency',
  'smoothGrad',
] as const;

export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];

/** The methods that draw a heat map over an image. */
export const IMAGE_METHODS = [
  'gradCam',
  'layerCam',
  'saliency',
  'smoothGrad',
] as const satisfies readonly ExplainMethod[];
export type ImageMethod = (typeof IMAGE_METHODS)[number];

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
  /** Series: the window's values per column, oldest first, for drawing the attributions over them. */
  window?: Record<string, number[]>;
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

/** An image as row-major 0..255 values, `channels` per pixel, for drawing the heat map over it. */
export interface ImagePixels {
  width: number;
  height: number;
  channels: number;
  pixels: number[];
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
  /** The image itself, when the caller asked for it (the Explain tab draws the overlay). */
  image?: ImagePixels;
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
  method: ImageMethod;
  /** Grad-CAM, Layer-CAM: the conv layer (node id) whose activations are weighted. */
  layer?: string;
  /** Grad-CAM, Layer-CAM: every conv layer one may choose instead. */
  layers?: string[];
  /** Present when each map is the average over the image's mirror images. */
  mirrors?: true;
  examples: ImageExplanation[];
  caveat: string;
}

export type ExplainResult = PermutationResult | AttributionResult | ImageResult;

/** What to explain; the CLI and EngineApi.explain both take it (docs/EXPLAIN.md). */
export interface ExplainQuery {
  runDir: string;
  /** A CSV (one explanation per row) or an image; without it, the run's test split. */
  file?: string;
  /** Default: gradCam for image models, integratedGradients with a file, permutation without. */
  method?: ExplainMethod;
  /** Class name or index to explain (default: each sample's predicted class). */
  className?: string;
  /** Grad-CAM, Layer-CAM: the layer (node id) whose activations are used (default: the last Conv2D). */
  layer?: string;
  /** Image methods: average each heat map over the image and its mirror images (mirror-average.ts). */
  mirrors?: boolean;
  /** Without a file: which test-split samples to explain (0-based); default the first few. */
  examples?: number[];
  /** Permutation: shuffles per column (default 5). */
  repeats?: number;
  /** Image methods: include each image's pixels in the result. */
  withImages?: boolean;
}
