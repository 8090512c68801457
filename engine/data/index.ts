// The data module's public surface (contract: ./types.ts, documentation: docs/DATA.md).
export * from './types.ts';
export { loadDataset, parseSource } from './load.ts';
export { splitDataset, kFoldSplits, subsetDataset, sampleCount } from './split.ts';
export {
  fitPreprocessing,
  applyPreprocessing,
  transformInputs,
  invertTarget,
  featureStats,
} from './preprocess.ts';
export { loadPredictInputs } from './predict-inputs.ts';
export { previewData } from './preview.ts';
export { windowSeries } from './window.ts';
export { BUILTINS } from './builtin/index.ts';
