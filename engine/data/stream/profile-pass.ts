// First streaming pass over a large CSV: the column profiles, number conventions and the target's
// value per row — everything the in-memory loader learns from the whole table before encoding it
// (engine/data/tabular.ts), gathered with memory that does not grow with the file's rows except
// for one 32-bit id per row.
import { ColumnProfiler, type ColumnProfile } from '../columns.ts';
import { NumberFormatReader, rewriteNumbers } from '../number-format.ts';
import { streamCsv, type CsvHead } from './csv-stream.ts';
import { DataError } from '../types.ts';

/** Distinct values remembered per column: far above the one-hot and class limits (1,000 and 500). */
export const MAX_TRACKED_DISTINCT = 20_000;
/** A target cell past MAX_TRACKED_DISTINCT distinct values (such a target cannot be a class). */
export const UNTRACKED = -2;

type Kinds = Record<string, 'numeric' | 'categorical' | 'ignore'>;

/** A growable Int32Array. */
export class IntList {
  data = new Int32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export interface ProfilePass {
  head: CsvHead;
  /** Data rows in the file (blank lines aside), with or without a target value. */
  rows: number;
  profiles: ColumnProfile[];
  /** Sentences about how numbers were read (like Table.notes). */
  notes: string[];
  /** Per column, the decimal mark its cells are rewritten with (null: left as they are). */
  rewrite: ('.' | ',' | null)[];
  targetColumn: number;
  /** Per row with a target value, in file order: the index of its value among `targetValues`. */
  targetIds: Int32Array;
  /** The target column's distinct values in first-seen order (the ids above). */
  targetValues: string[];
  /** The target column's first cell that is not a number. */
  targetText?: { line: number; value: string };
}

async function profileOnce(
  file: string,
  header: boolean | undefined,
  target: string | undefined,
  kinds: Kinds,
  rewrite: ('.' | ',' | null)[] | null,
  signal?: AbortSignal,
): Promise<ProfilePass & { reader: NumberFormatReader }> {
  let head: CsvHead | null = null;
  let profiler: ColumnProfiler | null = null;
  let reader: NumberFormatReader | null = null;
  let t = -1;
  const ids = new IntList();
  const idOf = new Map<string, number>();
  const rows = await streamCsv(
    file,
    header,
    (h) => {
      head = h;
      profiler = new ColumnProfiler(h.columns, kinds, MAX_TRACKED_DISTINCT);
      reader = new NumberFormatReader(h.columns);
      // An unknown target is named by the role assignment afterwards, with the columns listed.
      t = target === undefined ? h.columns.length - 1 : h.columns.indexOf(target);
    },
    (chunk, lines) => {
      for (let i = 0; i < chunk.length; i++) {
        const row = chunk[i];
        if (rewrite) rewriteNumbers(row, rewrite);
        else reader!.addRow(row);
        profiler!.addRow(row, lines[i]);
        const cell = t >= 0 ? row[t] : null;
        if (t >= 0 && cell === null) continue;
        if (t < 0) {
          ids.push(UNTRACKED);
          continue;
        }
        let id = idOf.get(cell as string);
        if (id === undefined) {
          if (idOf.size < MAX_TRACKED_DISTINCT) idOf.set(cell as string, (id = idOf.size));
          else id = UNTRACKED;
        }
        ids.push(id);
      }
    },
    signal,
  );
  const h = head as CsvHead | null;
  if (!h || !profiler || !reader) throw new DataError(`${file} is empty.`, 'invalid');
  const decided = (reader as NumberFormatReader).decide(h.delimiter);
  return {
    head: h,
    rows,
    profiles: (profiler as ColumnProfiler).profiles(),
    notes: decided.notes,
    rewrite: rewrite ?? decided.rewrite,
    targetColumn: t,
    targetIds: ids.toArray(),
    targetValues: [...idOf.keys()],
    targetText: t >= 0 ? (profiler as ColumnProfiler).firstTextOf(t) : undefined,
    reader: reader as NumberFormatReader,
  };
}

/**
 * Profiles `file` in one streaming pass; a second one only when some column's numbers are written
 * with separators (its cells are profiled as the plain numbers they are rewritten to).
 */
export async function profilePass(
  file: string,
  header: boolean | undefined,
  target: string | undefined,
  kinds: Kinds = {},
  signal?: AbortSignal,
): Promise<ProfilePass> {
  const first = await profileOnce(file, header, target, kinds, null, signal);
  if (!first.rewrite.some((m) => m !== null)) return first;
  const second = await profileOnce(file, header, target, kinds, first.rewrite, signal);
  return { ...second, notes: first.notes };
}
