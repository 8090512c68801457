// `evaluate` and `predict` on a saved run: the model is run again, on the same test split (same
// data, seed and splits as training) or on a new file, with the saved preprocessing.
import { selectBackend, type BackendChoice } from '../backend.ts';
import { applyPreprocessing, loadPredictInputs, transformInputs } from '../data/index.ts';
import { testSplitOfRun } from '../train/data-context.ts';
import { loadRunModel, openRun, type OpenedRun } from '../runs/load-run.ts';
import { readRunFile } from '../runs/run-dir.ts';
import { evaluateOnTest, predictBatches, type TestMetrics } from './evaluate.ts';
import { decodePredictions, type Prediction } from './predictions.ts';

export interface RunEvaluation {
  run: OpenedRun;
  metrics: TestMetrics;
  /** False when the data could not be loaded again and the metrics saved at training time are shown. */
  recomputed: boolean;
  note?: string;
}

export async function evaluateRun(dir: string, backend: BackendChoice = 'auto'): Promise<RunEvaluation> {
  const run = await openRun(dir);
  const { tf } = await selectBackend(backend);
  const model = await loadRunModel(tf, run);
  try {
    let test;
    try {
      test = await testSplitOfRun(run);
    } catch (err) {
      const saved = await readRunFile<TestMetrics>(dir, 'metrics');
      return {
        run,
        metrics: saved,
        recomputed: false,
        note: `The data could not be loaded again (${err instanceof Error ? err.message : String(err)}); showing the metrics saved after training.`,
      };
    }
    const x = applyPreprocessing(run.prep, test).x;
    // The data warnings travel with the metrics, as in metrics.json.
    const metrics = { ...(await evaluateOnTest(tf, model, run.prep, test, x)), warnings: test.warnings };
    return { run, metrics, recomputed: true };
  } finally {
    model.dispose();
  }
}

export type { Prediction } from './predictions.ts';

export async function predictWithRun(
  dir: string,
  file: string,
  backend: BackendChoice = 'auto',
): Promise<{ predictions: Prediction[]; warnings: string[] }> {
  const run = await openRun(dir);
  const { x, rowLabels, warnings } = await loadPredictInputs(run.prep, file);
  const { tf } = await selectBackend(backend);
  const model = await loadRunModel(tf, run);
  try {
    const output = await predictBatches(tf, model, transformInputs(run.prep, x));
    return { warnings, predictions: decodePredictions(run.prep, output, x, rowLabels) };
  } finally {
    model.dispose();
  }
}
