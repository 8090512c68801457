// A parsed table of text cells: what CSV files and the tabular builtins have in common before the
// columns are given roles and encoded. Missing cells are null.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { detectDelimiter } from './csv-delimiter.ts';
import { normalizeNumberFormats } from './number-format.ts';
import { DataError } from './types.ts';
import { streamThresholdBytes } from './stream/threshold.ts';

export interface Table {
  /** Where it came from, for messages: a file name or "builtin:iris". */
  name: string;
  columns: string[];
  rows: (string | null)[][];
  /** File line number (1-based) of each row, for messages. */
  lines: number[];
  /** How cells were read (numbers with thousands separators or decimal commas), one sentence each. */
  notes?: string[];
}

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-', '#n/a']);
export const isMissing = (cell: string): boolean => MISSING.has(cell.trim().toLowerCase());

/** A finite number written as text ("1.5", "-3e2", " 7 "), else null. */
export function parseNumber(cell: string): number | null {
  const s = cell.trim();
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

export async function readCsvFile(file: string, header?: boolean): Promise<Table> {
  const name = path.basename(file);
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new DataError(`${file} is not a file.`, 'unreadable', { file });
    size = stat.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`The data file ${file} does not exist or cannot be read.`, 'unreadable', { file });
  }
  const limit = streamThresholdBytes();
  if (size > limit) {
    throw new DataError(
      `${name} is ${(size / 1048576).toFixed(0)} MB; training, evaluation, predict with a one-table-input model and the preview stream CSV files over ${(limit / 1048576).toFixed(0)} MB from disk, but this needs the whole table in memory (data.window, data.inputs, cross-validation, predict with a series or several-input model, the PyTorch package), so take a sample of it or split it.`,
      'unreadable',
      { file },
    );
  }
  return parseCsvText(decodeCsvBytes(await fs.readFile(file), name, file), name, header);
}

/**
 * UTF-16 text, as spreadsheets save "Unicode text": by its byte-order mark, or without one by the zero
 * high bytes of mostly-ASCII text (every other byte zero, the others not).
 */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= 0.9 * pairs && evenZeros <= 0.05 * pairs) return 'utf-16le';
  if (evenZeros >= 0.9 * pairs && oddZeros <= 0.05 * pairs) return 'utf-16be';
  return null;
}

/**
 * CSV bytes → text: UTF-8, or UTF-16 (decoded strictly); binary junk and other encodings are refused
 * with a sentence, never decoded to mojibake.
 */
export function decodeCsvBytes(bytes: Uint8Array, name: string, file: string = name): string {
  const utf16 = utf16Encoding(bytes);
  if (utf16) {
    let text: string;
    try {
      text = new TextDecoder(utf16, { fatal: true }).decode(bytes);
    } catch {
      throw new DataError(
        `${name} looks like UTF-16 text but holds invalid characters; save it as "CSV UTF-8" and try again.`,
        'unreadable',
        { file },
      );
    }
    if (!text.includes('\0')) return text;
  }
  if (bytes.subarray(0, 65536).includes(0)) {
    throw new DataError(
      `${name} looks like a binary file, not CSV text; choose a comma-separated text file.`,
      'unreadable',
      { file },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataError(
      `${name} is not UTF-8 text; save it as "CSV UTF-8" (in a spreadsheet: Save As → CSV UTF-8) and try again.`,
      'unreadable',
      { file },
    );
  }
}

/** Parses CSV text; detects the header row unless `header` says; rejects ragged rows. */
export function parseCsvText(text: string, name: string, header?: boolean): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new DataError(`${name} is empty.`, 'invalid', { file: name });
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter: detectDelimiter(text) });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) {
    const line = (fatal.row ?? 0) + 1;
    throw new DataError(`${name} row ${line} has a quote that is never closed.`, 'unreadable', {
      file: name,
      row: line,
    });
  }
  const raw: { cells: string[]; line: number }[] = [];
  parsed.data.forEach((cells, i) => {
    if (cells.length === 1 && cells[0].trim() === '') return; // blank line
    raw.push({ cells, line: i + 1 });
  });
  if (raw.length === 0) throw new DataError(`${name} is empty.`, 'invalid', { file: name });

  const hasHeader = header ?? detectHeader(raw.map((r) => r.cells));
  const first = raw[0].cells;
  const columns = hasHeader ? uniqueNames(first) : first.map((_, i) => `column${i + 1}`);
  const body = hasHeader ? raw.slice(1) : raw;
  if (body.length === 0)
    throw new DataError(`${name} has a header row but no data rows.`, 'invalid', { file: name });
  const rows: (string | null)[][] = [];
  const lines: number[] = [];
  for (const { cells, line } of body) {
    rows.push(tableRow(cells, line, columns, hasHeader, name));
    lines.push(line);
  }
  const table: Table = { name, columns, rows, lines };
  table.notes = normalizeNumberFormats(table, parsed.meta.delimiter);
  return table;
}

/** One parsed line as a table row (missing cells null, others trimmed); a ragged line is refused with a sentence. */
export function tableRow(
  cells: string[],
  line: number,
  columns: string[],
  hasHeader: boolean,
  name: string,
): (string | null)[] {
  if (cells.length !== columns.length) {
    const trailingEmpty = cells.length === columns.length + 1 && cells[cells.length - 1].trim() === '';
    if (!trailingEmpty) {
      const short = cells.length < columns.length;
      const missing = columns.slice(cells.length);
      const detail = short
        ? `column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} ${missing.length > 1 ? 'have' : 'has'} no value`
        : `"${cells[columns.length].trim()}" lies beyond the last column "${columns[columns.length - 1]}"`;
      throw new DataError(
        `${name} row ${line} has ${cells.length} value${cells.length === 1 ? '' : 's'} but the ${hasHeader ? 'header has' : 'first row has'} ${columns.length} columns; ${detail}.`,
        'invalid',
        short ? { file: name, row: line, column: missing[0] } : { file: name, row: line },
      );
    }
  }
  const row = new Array<string | null>(columns.length);
  for (let c = 0; c < columns.length; c++) {
    const cell = cells[c] ?? '';
    row[c] = isMissing(cell) ? null : cell.trim();
  }
  return row;
}

/**
 * The first row is a header when its cells are all present and distinct and at least one of them is
 * text in a column whose other values are numbers — or when every cell is text (an all-text table).
 */
export function detectHeader(rows: string[][]): boolean {
  const first = rows[0];
  if (first.some((c) => c.trim() === '')) return false;
  if (new Set(first.map((c) => c.trim())).size !== first.length) return false;
  const sample = rows.slice(1, 200);
  if (sample.length === 0) return first.some((c) => parseNumber(c) === null);
  let textOverNumbers = false;
  let allText = true;
  first.forEach((cell, c) => {
    if (parseNumber(cell) !== null) {
      allText = false;
      return;
    }
    const below = sample.map((r) => r[c] ?? '').filter((v) => !isMissing(v));
    if (below.length > 0 && below.every((v) => parseNumber(v) !== null)) textOverNumbers = true;
  });
  return textOverNumbers || allText;
}

export function uniqueNames(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const base = c.trim() || `column${i + 1}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n + 1}`;
  });
}

/** Builds a Table from values already in memory (the builtins). */
export function tableFromValues(
  name: string,
  columns: string[],
  values: (string | number | null)[][],
): Table {
  return {
    name,
    columns,
    rows: values.map((r) => r.map((v) => (v === null ? null : String(v)))),
    lines: values.map((_, i) => i + 2),
  };
}
