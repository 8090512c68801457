// split.json of a run folder: which samples went to train, validation and test, so any other tool
// can rebuild the same test set (docs/TRAINING.md, "The run folder").
import type { Dataset, Splits } from '../data/types.ts';

export interface SplitRecord {
  seed: number;
  testSplit: number;
  validationSplit: number;
  /** How samples were assigned: per class (classification), shuffled (regression) or in time order (forecasts). */
  order: 'stratified' | 'shuffled' | 'chronological';
  /** Samples in the dataset as loaded (rows without a target left out; windows for a windowed series). */
  samples: number;
  /** 0-based sample indices into the dataset as loaded. */
  train: number[];
  validation: number[];
  test: number[];
  /** Tables: the same samples as source rows (a CSV file's line numbers, the header being line 1). */
  sourceRows?: { train: number[]; validation: number[]; test: number[] };
}

export function splitRecord(
  dataset: Dataset,
  splits: Pick<Splits, 'indices'>,
  opts: { seed: number; testSplit: number; validationSplit: number },
): SplitRecord {
  const { train, validation, test } = splits.indices;
  const rows = dataset.sourceRows;
  const lines = (idx: number[]) => idx.map((i) => rows![i]);
  return {
    ...opts,
    order:
      dataset.task === 'forecast'
        ? 'chronological'
        : dataset.task === 'classification'
          ? 'stratified'
          : 'shuffled',
    samples: dataset.y.shape[0],
    train,
    validation,
    test,
    ...(rows
      ? { sourceRows: { train: lines(train), validation: lines(validation), test: lines(test) } }
      : {}),
  };
}
