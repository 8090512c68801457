// `predict` on a CSV above the streaming threshold (docs/DATA.md, "Large CSV files"): the file is
// read a chunk of rows at a time, each chunk encoded, scaled and predicted as a table in memory
// would be (engine/data/predict-inputs.ts), and its predictions handed on before the next chunk is
// read, so memory holds about a megabyte of rows, never the file or its predictions.
import { promises as fs } from 'node:fs';
import type * as tfjs from '@tensorflow/tfjs';
import { streamCsv, type CsvHead } from '../data/stream/csv-stream.ts';
import { streamThresholdBytes } from '../data/stream/threshold.ts';
import { checkTrainedColumns, tabularRows, type TabularEncoding } from '../data/predict-inputs.ts';
import { transformInputs } from '../data/preprocess.ts';
import type { Preprocessing } from '../data/types.ts';
import { selectBackend, type BackendChoice } from '../backend.ts';
import { loadRunModel, openRun } from '../runs/load-run.ts';
import { predictBatches } from './evaluate.ts';
import { decodePredictions, type Prediction } from './predictions.ts';

/** Predictions of one chunk of rows, in file order, with the warnings its cells gave (blank, unseen category). */
export type PredictionChunk = (predictions: Prediction[], warnings: string[]) => void | Promise<void>;

/**
 * Whether `predict` streams `file` for a run with preprocessing `prep`: a CSV above the threshold
 * and a model with one table input. A series model (data.window) or several inputs still read the
 * table whole and refuse a file that large.
 */
export async function streamsPredictFile(prep: Preprocessing, file: string): Promise<boolean> {
  if (prep.encodings.length !== 1 || prep.encodings[0].kind !== 'tabular') return false;
  if (!/\.(csv|tsv|txt)$/i.test(file)) return false;
  const size = await fs.stat(file).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0,
  );
  return size > streamThresholdBytes();
}

/**
 * Streams `file` through the model, calling `onChunk` for each chunk of rows before reading on.
 * Aborting `signal` (from `onChunk`: enough rows) stops the reading with the signal's reason.
 */
export async function predictCsvStreamed(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  prep: Preprocessing,
  file: string,
  onChunk: PredictionChunk,
  signal?: AbortSignal,
): Promise<number> {
  const enc = prep.encodings[0] as TabularEncoding;
  let head: CsvHead | null = null;
  const waiting: { rows: (string | null)[][]; lines: number[] }[] = [];
  let failure: unknown = null;
  const drain = async () => {
    while (waiting.length > 0) {
      const { rows, lines } = waiting.shift()!;
      const name = head!.name;
      const { x, warnings } = tabularRows(
        { name, columns: head!.columns, rows, lines },
        enc,
        prep.inputs[0],
        name,
      );
      const output = await predictBatches(tf, model, transformInputs(prep, [x]));
      const labels = lines.map((l) => `row ${l}`);
      await onChunk(decodePredictions(prep, output, [x], labels), warnings);
    }
  };
  const rows = await streamCsv(
    file,
    true,
    (h) => {
      head = h;
      checkTrainedColumns(h.columns, enc, h.name);
    },
    (chunkRows, lines) => {
      if (!failure) waiting.push({ rows: chunkRows, lines });
    },
    signal,
    () =>
      drain().catch((err: unknown) => {
        failure = err;
        throw err;
      }),
  );
  await drain();
  return rows;
}

/**
 * `netwright predict` on a file it streams: the run's model over `file`, chunk by chunk. False
 * (nothing done) when the file is not one predict streams.
 */
export async function predictRunStreamed(
  dir: string,
  file: string,
  backend: BackendChoice,
  onChunk: PredictionChunk,
): Promise<boolean> {
  const run = await openRun(dir);
  if (!(await streamsPredictFile(run.prep, file))) return false;
  const { tf } = await selectBackend(backend);
  const model = await loadRunModel(tf, run);
  try {
    await predictCsvStreamed(tf, model, run.prep, file, onChunk);
    return true;
  } finally {
    model.dispose();
  }
}
