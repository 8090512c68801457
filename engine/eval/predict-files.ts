// EngineApi.predict: a trained run's predictions on files of the user's (a CSV: one per row; images:
// one each), with the blank cells each row had filled, optionally saved as a CSV. The same model,
// preprocessing and decoding as `netwright predict` (engine/eval/evaluate-run.ts).
import path from 'node:path';
import Papa from 'papaparse';
import type { PredictRequest, PredictResult, PredictionRow } from '../api.ts';
import { selectBackend } from '../backend.ts';
import { loadPredictInputs, transformInputs } from '../data/index.ts';
import { writeFileAtomic } from '../project/files.ts';
import { loadRunModel, openRun } from '../runs/load-run.ts';
import { predictBatches } from './evaluate.ts';
import { decodePredictions } from './predictions.ts';

/** Files one request may name (images are predicted one file at a time). */
export const MAX_PREDICT_FILES = 500;

export async function predictFiles(request: PredictRequest): Promise<PredictResult> {
  const run = await openRun(request.runDir);
  const { tf } = await selectBackend('auto');
  const model = await loadRunModel(tf, run);
  const rows: PredictionRow[] = [];
  const warnings: string[] = [];
  try {
    for (const file of request.files) {
      const name = path.basename(file);
      const inputs = await loadPredictInputs(run.prep, file);
      const output = await predictBatches(tf, model, transformInputs(run.prep, inputs.x));
      const decoded = decodePredictions(run.prep, output, inputs.x, inputs.rowLabels);
      // A blank-cell warning names its row as "<file> row <n>, …": it goes beside that row.
      const byRow = new Map<string, string[]>();
      for (const w of inputs.warnings) {
        const m = /^.+? (row \d+), /.exec(w);
        const key = m?.[1];
        if (key && inputs.rowLabels.includes(key)) byRow.set(key, [...(byRow.get(key) ?? []), w]);
        else warnings.push(w);
      }
      for (const p of decoded) rows.push({ file: name, ...p, warnings: byRow.get(p.row) ?? [] });
    }
  } finally {
    model.dispose();
  }
  const task = run.prep.task === 'classification' ? 'classification' : 'regression';
  const result: PredictResult = { task, rows, warnings };
  if (request.saveTo) {
    await writeFileAtomic(request.saveTo, predictionsCsv(rows), { backup: true });
    result.savedTo = request.saveTo;
  }
  return result;
}

/** One line per prediction: file, row, the class and its probability (plus each class's) or the values. */
export function predictionsCsv(rows: PredictionRow[]): string {
  const classes = [...new Set(rows.flatMap((r) => Object.keys(r.probabilities ?? {})))];
  const values = [...new Set(rows.flatMap((r) => Object.keys(r.values ?? {})))];
  const header = [
    'file',
    'row',
    ...(classes.length ? ['class', 'probability', ...classes.map((c) => `p(${c})`)] : values),
    'warnings',
  ];
  const lines = rows.map((r) => [
    r.file,
    r.row,
    ...(classes.length
      ? [r.className ?? '', r.probability ?? '', ...classes.map((c) => r.probabilities?.[c] ?? '')]
      : values.map((v) => r.values?.[v] ?? '')),
    r.warnings.join(' '),
  ]);
  return Papa.unparse([header, ...lines]) + '\n';
}
