// The deployment model's interface: what a pipeline ONNX file (the network with the run's
// preprocessing and decoding inside, docs/EXPORT.md) takes and gives.

/** One graph input of the deployment model. */
export interface PipelineInput {
  /** The raw column's name for tables; `image`, `window` or `signal` for tensors. */
  name: string;
  type: 'float32' | 'string';
  /** Without the batch dimension. */
  shape: number[];
  /** What the user feeds, in a few words (units, blanks). */
  doc: string;
}

export type PipelineOutputName = 'label' | 'probabilities' | 'prediction';

export interface PipelineOutput {
  name: PipelineOutputName;
  type: 'float32' | 'string' | 'int64';
  /** Without the batch dimension ([] for one value per sample). */
  shape: number[];
  doc: string;
}

export const OUTPUT_NAMES: readonly PipelineOutputName[] = ['label', 'probabilities', 'prediction'];
