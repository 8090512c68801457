// Column profiling (numeric vs categorical, missing values, ranges) and role assignment (feature /
// target / ignore) for tables. Used by the tabular loader and by the data preview.
import { DataError, type DataSpec } from './types.ts';
import { parseNumber, type Table } from './table.ts';

export interface ColumnProfile {
  name: string;
  kind: 'numeric' | 'categorical';
  /** The kind read from the values; differs from `kind` when data.columnKinds overrides it. */
  detected: 'numeric' | 'categorical';
  missing: number;
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  /** Sorted category values (categorical columns). */
  categories?: string[];
  /** A numeric column with a few text cells: the first one, for the error message. */
  firstText?: { line: number; value: string };
}

/** A column counts as numeric (with bad cells) when at least this share of its present cells are numbers. */
const NUMERIC_SHARE = 0.9;
/** Text columns with more distinct values than this are not one-hot encoded unless named in data.features. */
export const MAX_AUTO_CATEGORIES = 50;

class ColumnTally {
  missing = 0;
  numbers = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  firstText: ColumnProfile['firstText'];
  readonly distinct = new Set<string>();
  /** More distinct values than the cap were seen: `distinct` holds the first cap + 1 only. */
  capped = false;
}

/**
 * Column profiles gathered row after row (a table in memory, or a CSV file streamed in chunks), so
 * both paths judge columns the same way. `maxDistinct` bounds the distinct values remembered per
 * column: past it a column reports cap + 1 distinct values (far above any one-hot limit).
 */
export class ColumnProfiler {
  private readonly tallies: ColumnTally[];
  rows = 0;
  constructor(
    readonly names: string[],
    /** data.columnKinds: overrides what the values suggest (see profileColumns). */
    private readonly kinds: Record<string, 'numeric' | 'categorical' | 'ignore'> = {},
    private readonly maxDistinct = Infinity,
  ) {
    this.tallies = names.map(() => new ColumnTally());
  }

  addRow(row: (string | null)[], line: number): void {
    this.rows++;
    for (let c = 0; c < this.tallies.length; c++) {
      const t = this.tallies[c];
      const cell = row[c];
      if (cell === null) {
        t.missing++;
        continue;
      }
      if (!t.capped) {
        t.distinct.add(cell);
        if (t.distinct.size > this.maxDistinct) t.capped = true;
      }
      const v = parseNumber(cell);
      if (v === null) {
        t.firstText ??= { line, value: cell };
        continue;
      }
      t.numbers++;
      t.sum += v;
      if (v < t.min) t.min = v;
      if (v > t.max) t.max = v;
    }
  }

  /** Column `c`'s first cell that is not a number, whatever the column's kind. */
  firstTextOf(c: number): ColumnProfile['firstText'] {
    return this.tallies[c].firstText;
  }

  /** Column `c`'s distinct present values, in first-seen order (all of them unless capped). */
  distinctValues(c: number): string[] {
    return [...this.tallies[c].distinct];
  }

  profiles(): ColumnProfile[] {
    return this.names.map((name, c) => {
      const t = this.tallies[c];
      const present = this.rows - t.missing;
      const detected = present > 0 && t.numbers >= NUMERIC_SHARE * present ? 'numeric' : 'categorical';
      const chosen = this.kinds[name];
      const numeric =
        chosen === 'numeric' || chosen === 'categorical' ? chosen === 'numeric' : detected === 'numeric';
      const distinct = t.distinct.size;
      if (numeric) {
        return {
          name,
          kind: 'numeric',
          detected,
          missing: t.missing,
          distinct,
          min: t.min,
          max: t.max,
          mean: t.sum / t.numbers,
          firstText: t.firstText,
        };
      }
      return {
        name,
        kind: 'categorical',
        detected,
        missing: t.missing,
        distinct,
        categories: sortCategories([...t.distinct]),
      };
    });
  }
}

/**
 * Each column's kind and facts. `kinds` (data.columnKinds) overrides what the values suggest: a
 * numeric-looking column can be categories (codes, years as classes), a text one numbers.
 */
export function profileColumns(
  table: Table,
  kinds: Record<string, 'numeric' | 'categorical' | 'ignore'> = {},
): ColumnProfile[] {
  const profiler = new ColumnProfiler(table.columns, kinds);
  table.rows.forEach((row, r) => profiler.addRow(row, table.lines[r]));
  return profiler.profiles();
}

/** Numbers in numeric order, then text alphabetically: "2" < "10", "bad" < "good". */
export function sortCategories(values: string[]): string[] {
  return values.sort((a, b) => {
    const x = parseNumber(a);
    const y = parseNumber(b);
    if (x !== null && y !== null) return x - y;
    if (x !== null) return -1;
    if (y !== null) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export interface Roles {
  target: string | null;
  features: string[];
  /** Columns left out, each with the reason (for warnings). */
  ignored: { name: string; reason: string }[];
}

/**
 * Assigns roles: target = data.target (default: the last column), features = data.features (default:
 * every other column that is not in data.ignore and is usable as a feature).
 */
/** What role assignment needs of a table: its name, columns and number of rows. */
export interface TableOutline {
  name: string;
  columns: string[];
  rowCount: number;
}

export function assignRoles(
  table: TableOutline,
  profiles: ColumnProfile[],
  spec: DataSpec,
  needTarget: boolean,
): Roles {
  const has = (n: string) => table.columns.includes(n);
  const unknown = (key: string, n: string) =>
    new DataError(
      `data.${key} names "${n}", which is not a column of ${table.name} (its columns are ${table.columns.join(', ')}).`,
      'invalid',
      {
        file: table.name,
        column: n,
      },
    );
  const target = spec.target ?? (needTarget ? table.columns[table.columns.length - 1] : null);
  if (target !== null && !has(target)) throw unknown('target', target);
  for (const n of spec.ignore ?? []) if (!has(n)) throw unknown('ignore', n);
  for (const n of Object.keys(spec.columnKinds ?? {})) if (!has(n)) throw unknown('columnKinds', n);
  const ignoredByKind = Object.entries(spec.columnKinds ?? {})
    .filter(([name, kind]) => kind === 'ignore' && name !== target)
    .map(([name]) => name);
  const ignore = [...(spec.ignore ?? []), ...ignoredByKind.filter((n) => !spec.ignore?.includes(n))];
  const ignored: Roles['ignored'] = ignore.map((name) => ({
    name,
    reason: 'listed in data.ignore',
  }));
  if (spec.features) {
    for (const n of spec.features) {
      if (!has(n)) throw unknown('features', n);
      if (ignoredByKind.includes(n))
        throw new DataError(
          `Column "${n}" of ${table.name} is set to be ignored, but data.features names it; change one of them.`,
          'invalid',
          { file: table.name, column: n },
        );
      if (n === target)
        throw new DataError(
          `Column "${n}" of ${table.name} is both the target and a feature; remove it from data.features.`,
          'invalid',
          { file: table.name, column: n },
        );
    }
    return { target, features: [...spec.features], ignored };
  }
  const features: string[] = [];
  profiles.forEach((p) => {
    if (p.name === target || ignore.includes(p.name)) return;
    if (p.kind === 'categorical' && p.distinct > MAX_AUTO_CATEGORIES) {
      ignored.push({
        name: p.name,
        reason: `it has ${p.distinct} different text values (an identifier or a date?); name it in data.features to one-hot encode it anyway`,
      });
      return;
    }
    if (p.missing === table.rowCount) {
      ignored.push({ name: p.name, reason: 'every value is missing' });
      return;
    }
    features.push(p.name);
  });
  if (features.length === 0)
    throw new DataError(
      `${table.name} has no usable feature columns besides the target "${target}"${
        ignored.length
          ? `: ${ignored.map((i) => `column "${i.name}" is left out because ${i.reason}`).join('; ')}`
          : ''
      }.`,
      'invalid',
      {
        file: table.name,
      },
    );
  return { target, features, ignored };
}
