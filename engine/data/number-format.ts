// Numbers as spreadsheets write them for people: thousands separators ("1,234.5", "1 234,5") and
// decimal commas ("21,5", the default of European spreadsheet software, often with ";" between
// cells). Each CSV column is read in the one convention that parses all of its cells; a column that
// reads as numbers either way with different values (every cell like "1,234") takes the file's
// convention (another column's evidence, else the delimiter: ";" → decimal comma, "," → decimal point)
// and, with no evidence at all, stays text with a warning. Rewritten cells hold plain numbers
// ("1234.5"), so everything downstream (profiling, encoding, predict) reads them as any number.
import type { Table } from './table.ts';

type Mark = '.' | ',';

const esc = (c: string) => c.replace(/[.]/g, '\\.');
const THOUSANDS: Record<Mark, string> = { '.': `[, \u00a0\u202f']`, ',': `[. \u00a0\u202f]` };

function pattern(decimal: Mark): RegExp {
  const int = `\\d{1,3}(${THOUSANDS[decimal]})\\d{3}(?:\\1\\d{3})*|\\d+`;
  const dec = esc(decimal);
  return new RegExp(`^[+-]?(?:(?:${int})(?:${dec}\\d*)?|${dec}\\d+)(?:[eE][+-]?\\d+)?$`);
}
const PATTERNS: Record<Mark, RegExp> = { '.': pattern('.'), ',': pattern(',') };

/** `cell` read with `decimal` as the decimal mark (the other mark, spaces or ' between thousands), else null. */
export function parseWithMark(cell: string, decimal: Mark): number | null {
  const s = cell.trim();
  const m = PATTERNS[decimal].exec(s);
  if (!m) return null;
  const sep = m[1];
  const plain = (sep ? s.split(sep).join('') : s).replace(decimal, '.');
  const v = Number(plain);
  return Number.isFinite(v) ? v : null;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * parseWithMark(cell, ',') for a cell written as a plain number (PLAIN, no spaces), without the
 * regular expression: its one "." can only be a thousands separator, so it reads as a number when
 * 1 to 3 digits stand before it and exactly 3 after it (the file is read cell by cell, and this is
 * the commonest cell of all).
 */
export function commaReadingOfPlain(cell: string): number | null {
  const dot = cell.indexOf('.');
  if (dot < 0) return finite(Number(cell));
  let e = cell.indexOf('e');
  if (e < 0) e = cell.indexOf('E');
  const mantissaEnd = e < 0 ? cell.length : e;
  const signed = cell[0] === '+' || cell[0] === '-' ? 1 : 0;
  const before = dot - signed;
  const after = mantissaEnd - dot - 1;
  if (before < 1 || before > 3 || after !== 3) return null;
  return finite(Number(cell.slice(0, dot) + cell.slice(dot + 1)));
}

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GROUPING = /\d[, .\u00a0\u202f']\d{3}(?!\d)/;

/**
 * What one column's present cells say about how its numbers are written, gathered cell by cell so
 * that a file streamed in chunks is judged exactly as one read whole.
 */
class ColumnReading {
  cells = 0;
  /** Every present cell reads as a number with a decimal point / with a decimal comma. */
  point = true;
  comma = true;
  /** Every cell reads as the same value both ways (only meaningful while both hold). */
  same = true;
  example: string | null = null;
  firstCell: string | null = null;
  hasMark = false;
  plain = true;
  grouped = false;

  add(cell: string): void {
    this.cells++;
    this.firstCell ??= cell;
    const s = cell.trim();
    if (this.example === null && /[,.\s']/.test(s)) this.example = cell;
    if (!this.hasMark && /[.,]/.test(cell)) this.hasMark = true;
    const plain = PLAIN.test(cell);
    if (!plain) this.plain = false;
    if (!this.grouped && GROUPING.test(cell)) this.grouped = true;
    if (!this.point && !this.comma) return;
    const p = this.point ? (plain && s === cell ? finite(Number(s)) : parseWithMark(cell, '.')) : null;
    const c = this.comma
      ? plain && s === cell
        ? commaReadingOfPlain(cell)
        : parseWithMark(cell, ',')
      : null;
    if (this.point && p === null) this.point = false;
    if (this.comma && c === null) this.comma = false;
    if (this.point && this.comma && p !== c) this.same = false;
  }
}

/** How one column's numbers are to be read: null when it stays as it is. */
export interface ColumnNumberFormat {
  mark: Mark;
}

/** Cell-by-cell reader of the number conventions of a table's columns (see normalizeNumberFormats). */
export class NumberFormatReader {
  private readonly columns: ColumnReading[];
  constructor(private readonly names: string[]) {
    this.columns = names.map(() => new ColumnReading());
  }

  addRow(row: (string | null)[]): void {
    for (let c = 0; c < this.columns.length; c++) {
      const cell = row[c];
      if (cell !== null && cell !== undefined) this.columns[c].add(cell);
    }
  }

  /** Per column, the mark to rewrite its cells with (null: leave them); and one sentence per column read or left as text. */
  decide(delimiter: string): { rewrite: (Mark | null)[]; notes: string[] } {
    const readings = this.columns
      .map((r, column) => ({ r, column }))
      .filter(({ r }) => r.cells > 0 && (r.point || r.comma));
    // The file's convention: columns that read one way only, and hold a decimal mark or thousands.
    const evidence = new Set<Mark>();
    for (const { r } of readings) {
      if (r.point && !r.comma && r.hasMark) evidence.add('.');
      if (r.comma && !r.point) evidence.add(',');
    }
    const fileMark: Mark | null =
      evidence.size === 1
        ? [...evidence][0]
        : evidence.size === 0
          ? delimiter === ';'
            ? ','
            : delimiter === ','
              ? '.'
              : null
          : null;
    const notes: string[] = [];
    const rewrite: (Mark | null)[] = this.names.map(() => null);
    for (const { r, column } of readings) {
      const name = this.names[column];
      const example = r.example ?? r.firstCell ?? '';
      let mark: Mark | null;
      if (r.point && r.comma) mark = r.same ? '.' : fileMark;
      else mark = r.point ? '.' : ',';
      if (mark === null) {
        notes.push(
          `Column "${name}" holds numbers like "${example}" that read differently with a decimal point and with a decimal comma, and nothing else in the file says which; it is treated as text (write the numbers without thousands separators).`,
        );
        continue;
      }
      if (r.plain && mark === '.') continue;
      rewrite[column] = mark;
      notes.push(
        mark === ','
          ? `Column "${name}" is read as numbers with a decimal comma${r.grouped ? ' and thousands separators' : ''} (e.g. "${example}").`
          : `Column "${name}" is read as numbers with thousands separators (e.g. "${example}").`,
      );
    }
    return { rewrite, notes };
  }
}

/** A row's cells rewritten as plain numbers where `rewrite` names a mark, in place. */
export function rewriteNumbers(row: (string | null)[], rewrite: (Mark | null)[]): void {
  for (let c = 0; c < rewrite.length; c++) {
    const mark = rewrite[c];
    const cell = row[c];
    if (mark !== null && cell !== null) row[c] = String(parseWithMark(cell, mark));
  }
}

/**
 * Rewrites the numeric cells of `table` written with separators to plain numbers, in place; returns
 * one sentence per column read that way, and per column left as text because its numbers are ambiguous.
 */
export function normalizeNumberFormats(table: Table, delimiter: string): string[] {
  const reader = new NumberFormatReader(table.columns);
  for (const row of table.rows) reader.addRow(row);
  const { rewrite, notes } = reader.decide(delimiter);
  if (rewrite.some((m) => m !== null)) for (const row of table.rows) rewriteNumbers(row, rewrite);
  return notes;
}
