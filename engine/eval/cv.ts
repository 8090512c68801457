// k-fold cross-validation: the project is trained k times, each time tested on the fold it did not
// see (stratified for classification, contiguous blocks for forecasts), then each headline metric
// is summarised as mean ± standard deviation over the folds.
import { selectBackend, type BackendChoice } from '../backend.ts';
import { kFoldSplits, splitDataset } from '../data/index.ts';
import type { DataSpec } from '../data/types.ts';
import type { Project } from '../project/schema.ts';
import { resolveTrainingSettings, type SettingsOverrides } from '../train/config.ts';
import { loadProjectDataset, prepareSplits } from '../train/data-context.ts';
import { trainLoop } from '../train/loop.ts';
import { compileForTraining, type TrainableModel } from '../train/trainable-model.ts';
import { explainTrainingError } from '../train/failure-diagnosis.ts';
import { startWeightsOf } from '../weights/start-weights.ts';
import { evaluateOnTest, headlineMetrics, type TestMetrics } from './evaluate.ts';
import { meanStd } from './metrics.ts';

export interface FoldResult {
  fold: number;
  status: 'complete' | 'cancelled' | 'failed';
  epochsRun: number;
  /** Rows this fold trained on, validated on (the project's validationSplit of its training rows) and tested on. */
  samples: { train: number; validation: number; test: number };
  metrics?: TestMetrics;
  message?: string;
}

export interface CrossValidationReport {
  k: number;
  backend: string;
  folds: FoldResult[];
  /** metric → mean and (population) standard deviation over the completed folds. */
  summary: Record<string, { mean: number; std: number }>;
}

export interface CrossValidationOptions extends SettingsOverrides {
  projectPath?: string;
  backend?: BackendChoice;
  signal?: AbortSignal;
  onFold?: (result: FoldResult) => void;
}

export async function crossValidate(
  project: Project,
  k: number,
  o: CrossValidationOptions = {},
): Promise<CrossValidationReport> {
  const s = resolveTrainingSettings(project, o);
  const backend = await selectBackend(o.backend ?? 'auto');
  const tf = backend.tf;
  // As in a single run, the model first: a graph that training refuses is refused before any data
  // loads. This model is the first fold's; each later fold starts again from the same seeded weights.
  const start = await startWeightsOf(project, o.projectPath);
  let first: TrainableModel | null = compileForTraining(tf, project.graph, s.seed, start);
  const folds: FoldResult[] = [];
  try {
    const dataset = await loadProjectDataset(project, o.projectPath, s.seed);
    const spec = project.data as DataSpec;
    for (const [i, split] of kFoldSplits(dataset, k, s.seed).entries()) {
      if (o.signal?.aborted) break;
      const { model, loss } = first ?? compileForTraining(tf, project.graph, s.seed, start);
      first = null;
      try {
        // Each fold keeps the project's validation split (taken from its training rows) so early
        // stopping and plateau schedules watch what they watch in a single run.
        const inner = splitDataset(split.train, {
          testSplit: 0,
          validationSplit: s.validationSplit,
          seed: s.seed,
        });
        const { prep, train, validation, testX } = prepareSplits({ ...inner, test: split.test }, spec);
        const result = await trainLoop({
          tf,
          model,
          loss,
          train,
          validation,
          optimizer: s.optimizer,
          epochs: s.epochs,
          batchSize: s.batchSize,
          seed: s.seed,
          earlyStopping: s.earlyStopping,
          lrSchedule: s.lrSchedule,
          signal: o.signal,
        }).catch((err: unknown) => {
          throw explainTrainingError(tf, model, train.x, err);
        });
        const samples = {
          train: train.y.shape[0],
          validation: validation?.y.shape[0] ?? 0,
          test: split.test.y.shape[0],
        };
        const fold: FoldResult = {
          fold: i + 1,
          status: result.status,
          epochsRun: result.history.length,
          samples,
          message: result.message,
        };
        if (result.status !== 'failed')
          fold.metrics = await evaluateOnTest(tf, model, prep, split.test, testX);
        folds.push(fold);
        o.onFold?.(fold);
      } finally {
        model.dispose();
      }
    }
  } finally {
    first?.model.dispose();
  }
  const done = folds.filter((f) => f.status === 'complete' && f.metrics);
  const summary: CrossValidationReport['summary'] = {};
  if (done.length > 0) {
    for (const key of Object.keys(headlineMetrics(done[0].metrics!))) {
      summary[key] = meanStd(done.map((f) => headlineMetrics(f.metrics!)[key]));
    }
  }
  return { k, backend: backend.label, folds, summary };
}
