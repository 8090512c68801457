// The data of a PyTorch package: the project's dataset split exactly as the run split it (same
// seed and fractions) and preprocessed with the run's fitted scaling (or, for a never-trained
// project, scaling fitted on the training rows as `netwright train` would).
import { applyPreprocessing, loadDataset } from '../data/index.ts';
import type { Dataset, Preprocessing, TensorData } from '../data/types.ts';
import type { Project } from '../project/schema.ts';
import { loadContextFor, prepareSplits, splitsFor } from '../train/data-context.ts';
import type { DataSpec } from '../data/types.ts';
import { splitRecord, type SplitRecord } from '../runs/split-record.ts';

export interface PackageSplit {
  x: TensorData[];
  y: TensorData;
}

export interface PackageData {
  prep: Preprocessing;
  /** Which samples went where (the run folder's split.json). */
  split: SplitRecord;
  train: PackageSplit;
  validation: PackageSplit | null;
  test: PackageSplit;
}

export async function packageData(
  project: Project,
  projectDir: string,
  seed: number,
  runPrep?: Preprocessing,
): Promise<PackageData> {
  const dataset = await loadDataset(project.data as DataSpec, loadContextFor(project, projectDir, seed));
  const splits = splitsFor(dataset, project, seed);
  const prep = runPrep ?? prepareSplits(splits, project.data as DataSpec).prep;
  const apply = (d: Dataset): PackageSplit => {
    const p = applyPreprocessing(prep, d);
    return { x: p.x, y: p.y };
  };
  const validation = splits.validation && splits.validation.y.shape[0] > 0 ? apply(splits.validation) : null;
  const split = splitRecord(dataset, splits, {
    seed,
    testSplit: project.data?.testSplit ?? 0.2,
    validationSplit: project.training?.validationSplit ?? 0,
  });
  return { prep, split, train: apply(splits.train), validation, test: apply(splits.test) };
}
