// Second streaming pass over a large CSV: each row encoded exactly as engine/data/tabular.ts
// encodes it (numbers, NaN for missing, one-hot slots; the target as the output expects) and sent
// where the split puts it — validation and test rows into memory, training rows to bucket files on
// disk (engine/data/stream/train-cache.ts puts them in training order).
import { parseNumber } from '../table.ts';
import { rewriteNumbers } from '../number-format.ts';
import type { TabularColumn, TargetEncoding } from '../types.ts';
import { streamCsv } from './csv-stream.ts';
import type { BucketWriter } from './train-cache.ts';

/** Where each sample goes: its split (0 train, 1 validation, 2 test) and position in that split. */
export interface Placement {
  split: Uint8Array;
  position: Int32Array;
}

/** A split held in memory: raw features [n, width], targets [n, k], labels and source lines. */
export interface MemorySplit {
  x: Float32Array;
  y: Float32Array;
  labels: Int32Array | null;
  lines: Int32Array;
}

export interface EncodePlan {
  columns: TabularColumn[];
  /** Index of each feature column in the file's columns. */
  columnIndex: number[];
  width: number;
  targetColumn: number;
  task: 'classification' | 'regression';
  targetEncoding: TargetEncoding;
  /** Classification: class index per target value. */
  classIndex: Map<string, number> | null;
  yWidth: number;
  rewrite: ('.' | ',' | null)[];
}

export interface EncodeResult {
  /** Lines of rows without a target (the first five) and how many. */
  dropped: { count: number; lines: number[] };
  /** Per feature column: missing cells among the samples (the first five lines) and how many. */
  missing: { count: number; lines: number[] }[];
}

/** Writes `rowY` for one sample: the class as one-hot, 0/1 or index, or the target value. */
function encodeTarget(plan: EncodePlan, cell: string, out: Float32Array, at: number): number {
  if (plan.task === 'regression') {
    out[at] = parseNumber(cell) as number;
    return -1;
  }
  const label = plan.classIndex!.get(cell) as number;
  if (plan.targetEncoding === 'onehot') {
    out.fill(0, at, at + plan.yWidth);
    out[at + label] = 1;
  } else out[at] = label;
  return label;
}

function encodeFeatures(
  plan: EncodePlan,
  indexes: (Map<string, number> | null)[],
  row: (string | null)[],
  out: Float32Array,
  at: number,
  line: number,
  missing: EncodeResult['missing'],
): void {
  let o = at;
  for (let k = 0; k < plan.columns.length; k++) {
    const c = plan.columns[k];
    const cell = row[plan.columnIndex[k]];
    if (cell === null) {
      const m = missing[k];
      if (m.lines.length < 5) m.lines.push(line);
      m.count++;
    }
    if (c.kind === 'numeric') {
      // Profiling refused numeric columns with text cells, so every present cell is a number.
      out[o++] = cell === null ? NaN : (parseNumber(cell) as number);
    } else {
      const n = c.categories.length;
      out.fill(0, o, o + n);
      const slot = cell === null ? undefined : indexes[k]!.get(cell);
      if (slot !== undefined) out[o + slot] = 1;
      o += n;
    }
  }
}

export async function encodePass(
  file: string,
  header: boolean | undefined,
  plan: EncodePlan,
  placement: Placement,
  memory: (MemorySplit | null)[],
  train: BucketWriter | null,
  signal?: AbortSignal,
): Promise<EncodeResult> {
  const indexes = plan.columns.map((c) =>
    c.kind === 'categorical' ? new Map(c.categories.map((v, i) => [v, i])) : null,
  );
  const result: EncodeResult = {
    dropped: { count: 0, lines: [] },
    missing: plan.columns.map(() => ({ count: 0, lines: [] })),
  };
  const w = plan.width;
  const k = plan.yWidth;
  const rowX = new Float32Array(w);
  const rowY = new Float32Array(k);
  const rewriting = plan.rewrite.some((m) => m !== null);
  let sample = 0;
  await streamCsv(
    file,
    header,
    () => {},
    (chunk, lines) => {
      for (let i = 0; i < chunk.length; i++) {
        const row = chunk[i];
        if (rewriting) rewriteNumbers(row, plan.rewrite);
        const cell = row[plan.targetColumn];
        if (cell === null) {
          if (result.dropped.lines.length < 5) result.dropped.lines.push(lines[i]);
          result.dropped.count++;
          continue;
        }
        const s = sample++;
        const split = placement.split[s];
        const pos = placement.position[s];
        const mem = split === 0 ? null : memory[split];
        if (mem) {
          encodeFeatures(plan, indexes, row, mem.x, pos * w, lines[i], result.missing);
          const label = encodeTarget(plan, cell, mem.y, pos * k);
          if (mem.labels) mem.labels[pos] = label;
          mem.lines[pos] = lines[i];
        } else if (train) {
          encodeFeatures(plan, indexes, row, rowX, 0, lines[i], result.missing);
          encodeTarget(plan, cell, rowY, 0);
          train.add(pos, lines[i], rowX, rowY);
        } else {
          // Training rows are not wanted (evaluating a saved run): still counted for the warnings.
          encodeFeatures(plan, indexes, row, rowX, 0, lines[i], result.missing);
        }
      }
    },
    signal,
  );
  return result;
}
