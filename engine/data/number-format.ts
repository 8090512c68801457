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

interface ColumnReading {
  column: number;
  /** Values per present cell under each mark that reads every present cell, else null. */
  point: number[] | null;
  comma: number[] | null;
  example: string;
}

const same = (a: number[], b: number[]) => a.every((v, i) => v === b[i]);
const hasGrouping = (cells: string[]) => cells.some((c) => /\d[, .\u00a0\u202f']\d{3}(?!\d)/.test(c));

function readColumn(table: Table, c: number): ColumnReading | null {
  const cells = table.rows.map((r) => r[c]).filter((v): v is string => v !== null);
  if (cells.length === 0) return null;
  const under = (mark: Mark) => {
    const out: number[] = [];
    for (const cell of cells) {
      const v = parseWithMark(cell, mark);
      if (v === null) return null;
      out.push(v);
    }
    return out;
  };
  const point = under('.');
  const comma = under(',');
  if (!point && !comma) return null;
  const example = cells.find((s) => /[,.\s']/.test(s.trim())) ?? cells[0];
  return { column: c, point, comma, example };
}

/**
 * Rewrites the numeric cells of `table` written with separators to plain numbers, in place; returns
 * one sentence per column read that way, and per column left as text because its numbers are ambiguous.
 */
export function normalizeNumberFormats(table: Table, delimiter: string): string[] {
  const readings = table.columns.map((_, c) => readColumn(table, c)).filter((r) => r !== null);
  // The file's convention: columns that read one way only, and hold a decimal mark or thousands.
  const evidence = new Set<Mark>();
  for (const r of readings) {
    const cells = table.rows.map((row) => row[r.column]).filter((v): v is string => v !== null);
    if (r.point && !r.comma && cells.some((s) => /[.,]/.test(s))) evidence.add('.');
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
  for (const r of readings) {
    const name = table.columns[r.column];
    let mark: Mark | null;
    if (r.point && r.comma) mark = same(r.point, r.comma) ? '.' : fileMark;
    else mark = r.point ? '.' : ',';
    if (mark === null) {
      notes.push(
        `Column "${name}" holds numbers like "${r.example}" that read differently with a decimal point and with a decimal comma, and nothing else in the file says which; it is treated as text (write the numbers without thousands separators).`,
      );
      continue;
    }
    const values = (mark === '.' ? r.point : r.comma)!;
    const cells = table.rows.map((row) => row[r.column]);
    const plain = cells.every((s) => s === null || /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s));
    if (plain && mark === '.') continue;
    let k = 0;
    table.rows.forEach((row) => {
      if (row[r.column] !== null) row[r.column] = String(values[k++]);
    });
    const grouped = hasGrouping(cells.filter((s): s is string => s !== null));
    notes.push(
      mark === ','
        ? `Column "${name}" is read as numbers with a decimal comma${grouped ? ' and thousands separators' : ''} (e.g. "${r.example}").`
        : `Column "${name}" is read as numbers with thousands separators (e.g. "${r.example}").`,
    );
  }
  return notes;
}
