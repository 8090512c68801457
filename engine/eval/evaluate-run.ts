// `evaluate` and `predict` on a saved run: the model is run again, on the same test split (same
// data, seed and splits as training) or on a new file, with the saved preprocessing.
import { selectBackend, type BackendChoice } from '../backend.ts';
import { applyPreprocessing, invertTarget, loadPredictInputs, transformInputs } from '../data/index.ts';
import { testSplitOfRun } from '../train/data-context.ts';
import { loadRunModel, openRun, type OpenedRun } from '../runs/load-run.ts';
import { readRunFile } from '../runs/run-dir.ts';
import { classIndices, evaluateOnTest, predictBatches, type TestMetrics } from './evaluate.ts';

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
    return { run, metrics: evaluateOnTest(tf, model, run.prep, test, x), recomputed: true };
  } finally {
    model.dispose();
  }
}

export type Prediction =
  | { row: string; className: string; probability: number; probabilities: Record<string, number> }
  | { row: string; values: Record<string, number> };

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
    const output = predictBatches(tf, model, transformInputs(run.prep, x));
    const cols = output.shape.slice(1).reduce((a, b) => a * b, 1);
    if (run.prep.task === 'classification') {
      const names = run.prep.classNames ?? [];
      const picks = classIndices(output);
      return {
        warnings,
        predictions: rowLabels.map((row, i) => {
          const probs: Record<string, number> = {};
          if (cols === 1) {
            const p = output.data[i];
            probs[names[0] ?? '0'] = 1 - p;
            probs[names[1] ?? '1'] = p;
          } else for (let c = 0; c < cols; c++) probs[names[c] ?? String(c)] = output.data[i * cols + c];
          const className = names[picks[i]] ?? String(picks[i]);
          return { row, className, probability: probs[className], probabilities: probs };
        }),
      };
    }
    const values = invertTarget(run.prep, output, x);
    const names = run.prep.targetNames ?? [];
    return {
      warnings,
      predictions: rowLabels.map((row, i) => {
        const v: Record<string, number> = {};
        for (let c = 0; c < cols; c++)
          v[names[c] ?? (cols === 1 ? 'value' : `t+${c + 1}`)] = values.data[i * cols + c];
        return { row, values: v };
      }),
    };
  } finally {
    model.dispose();
  }
}
