// EngineApi.predict: a trained run's predictions on files of the user's (a CSV: one per row; images:
// one each), with the blank cells each row had filled, optionally saved as a CSV. The same model,
// preprocessing and decoding as `netwright predict` (engine/eval/evaluate-run.ts). A CSV above the
// streaming threshold is predicted chunk by chunk (engine/eval/predict-stream.ts): all its rows go
// to the saved file as they are predicted, the first SHOWN_STREAMED_ROWS to the answer.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type * as tfjs from '@tensorflow/tfjs';
import type { PredictRequest, PredictResult, PredictionRow } from '../api.ts';
import { selectBackend } from '../backend.ts';
import { loadPredictInputs, transformInputs } from '../data/index.ts';
import type { Preprocessing } from '../data/types.ts';
import { writeFileAtomic } from '../project/files.ts';
import { loadRunModel, openRun } from '../runs/load-run.ts';
import { predictBatches } from './evaluate.ts';
import { decodePredictions, type Prediction } from './predictions.ts';
import { predictCsvStreamed, streamsPredictFile } from './predict-stream.ts';

/** Files one request may name (images are predicted one file at a time). */
export const MAX_PREDICT_FILES = 500;
/** Rows of a streamed CSV that the answer carries (the saved file has them all). */
export const SHOWN_STREAMED_ROWS = 1000;

/** Receives each file's predictions in order, a chunk at a time. */
type RowSink = (rows: PredictionRow[]) => Promise<void>;

export async function predictFiles(request: PredictRequest): Promise<PredictResult> {
  const run = await openRun(request.runDir);
  const { tf } = await selectBackend('auto');
  const model = await loadRunModel(tf, run);
  const rows: PredictionRow[] = [];
  const warnings: string[] = [];
  const predictAll = async (save: RowSink | null) => {
    for (const file of request.files) {
      if (await streamsPredictFile(run.prep, file)) {
        await predictStreamedFile(tf, model, run.prep, file, save, rows, warnings);
        continue;
      }
      const name = path.basename(file);
      const inputs = await loadPredictInputs(run.prep, file);
      const output = await predictBatches(tf, model, transformInputs(run.prep, inputs.x));
      const decoded = decodePredictions(run.prep, output, inputs.x, inputs.rowLabels);
      const fileRows = withRowWarnings(name, decoded, inputs.warnings, inputs.rowLabels, warnings);
      rows.push(...fileRows);
      await save?.(fileRows);
    }
  };
  try {
    if (request.saveTo) {
      await writeFileAtomic(request.saveTo, (handle) => writePredictionsCsv(handle, predictAll), {
        backup: true,
      });
    } else await predictAll(null);
  } finally {
    model.dispose();
  }
  const task = run.prep.task === 'classification' ? 'classification' : 'regression';
  const result: PredictResult = { task, rows, warnings };
  if (request.saveTo) result.savedTo = request.saveTo;
  return result;
}

/** A blank-cell warning names its row as "<file> row <n>, …": it goes beside that row; others to `rest`. */
function withRowWarnings(
  name: string,
  predictions: Prediction[],
  fileWarnings: string[],
  rowLabels: string[],
  rest: string[],
): PredictionRow[] {
  const labels = new Set(rowLabels);
  const byRow = new Map<string, string[]>();
  for (const w of fileWarnings) {
    const key = /^.+? (row \d+), /.exec(w)?.[1];
    if (key && labels.has(key)) byRow.set(key, [...(byRow.get(key) ?? []), w]);
    else rest.push(w);
  }
  return predictions.map((p) => ({ file: name, ...p, warnings: byRow.get(p.row) ?? [] }));
}

/**
 * A CSV above the streaming threshold: every row is predicted and saved when there is a `save`,
 * else only the rows the answer shows; `shown` gets the first SHOWN_STREAMED_ROWS and `warnings` a
 * sentence saying so.
 */
async function predictStreamedFile(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  prep: Preprocessing,
  file: string,
  save: RowSink | null,
  shown: PredictionRow[],
  warnings: string[],
): Promise<void> {
  const name = path.basename(file);
  const mb = ((await fs.stat(file)).size / 1048576).toFixed(0);
  const enough = new AbortController();
  let predicted = 0;
  try {
    await predictCsvStreamed(
      tf,
      model,
      prep,
      file,
      async (predictions, chunkWarnings) => {
        const labels = predictions.map((p) => p.row);
        const chunk = withRowWarnings(name, predictions, chunkWarnings, labels, warnings);
        shown.push(...chunk.slice(0, Math.max(0, SHOWN_STREAMED_ROWS - predicted)));
        predicted += chunk.length;
        await save?.(chunk);
        if (!save && predicted >= SHOWN_STREAMED_ROWS) enough.abort();
      },
      enough.signal,
    );
  } catch (err) {
    if (!enough.signal.aborted) throw err;
  }
  const first = Math.min(predicted, SHOWN_STREAMED_ROWS).toLocaleString('en');
  warnings.push(
    save
      ? `${name} is ${mb} MB: all ${predicted.toLocaleString('en')} predictions are in the saved file; the first ${first} are shown.`
      : `${name} is ${mb} MB: only its first ${first} predictions are shown; save the predictions to a file to get every row's.`,
  );
}

/** The predictions CSV (as predictionsCsv lays it out), written a chunk of rows at a time. */
async function writePredictionsCsv(
  handle: fs.FileHandle,
  predictAll: (save: RowSink) => Promise<void>,
): Promise<void> {
  let header: string[] | null = null;
  await predictAll(async (chunk) => {
    if (chunk.length === 0) return;
    const lines = predictionsCsvRows(chunk);
    let text = Papa.unparse(lines.body);
    if (!header) {
      header = lines.header;
      text = `${Papa.unparse([header])}\r\n${text}`;
    } else text = `\r\n${text}`;
    await handle.write(text);
  });
  await handle.write(header ? '\n' : predictionsCsv([]));
}

function predictionsCsvRows(rows: PredictionRow[]): { header: string[]; body: unknown[][] } {
  const classes = [...new Set(rows.flatMap((r) => Object.keys(r.probabilities ?? {})))];
  const values = [...new Set(rows.flatMap((r) => Object.keys(r.values ?? {})))];
  const header = [
    'file',
    'row',
    ...(classes.length ? ['class', 'probability', ...classes.map((c) => `p(${c})`)] : values),
    'warnings',
  ];
  const body = rows.map((r) => [
    r.file,
    r.row,
    ...(classes.length
      ? [r.className ?? '', r.probability ?? '', ...classes.map((c) => r.probabilities?.[c] ?? '')]
      : values.map((v) => r.values?.[v] ?? '')),
    r.warnings.join(' '),
  ]);
  return { header, body };
}

/** One line per prediction: file, row, the class and its probability (plus each class's) or the values. */
export function predictionsCsv(rows: PredictionRow[]): string {
  const { header, body } = predictionsCsvRows(rows);
  return Papa.unparse([header, ...body]) + '\n';
}
