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

/**
 * Each column's kind and facts. `kinds` (data.columnKinds) overrides what the values suggest: a
 * numeric-looking column can be categories (codes, years as classes), a text one numbers.
 */
export function profileColumns(
  table: Table,
  kinds: Record<string, 'numeric' | 'categorical' | 'ignore'> = {},
): ColumnProfile[] {
  return table.columns.map((name, c) => {
    let missing = 0;
    let numbers = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let firstText: ColumnProfile['firstText'];
    const distinct = new Set<string>();
    table.rows.forEach((row, r) => {
      const cell = row[c];
      if (cell === null) return void missing++;
      distinct.add(cell);
      const v = parseNumber(cell);
      if (v === null) {
        firstText ??= { line: table.lines[r], value: cell };
        return;
      }
      numbers++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    });
    const present = table.rows.length - missing;
    const detected = present > 0 && numbers >= NUMERIC_SHARE * present ? 'numeric' : 'categorical';
    const chosen = kinds[name];
    const numeric =
      chosen === 'numeric' || chosen === 'categorical' ? chosen === 'numeric' : detected === 'numeric';
    if (numeric) {
      return {
        name,
        kind: 'numeric',
        detected,
        missing,
        distinct: distinct.size,
        min,
        max,
        mean: sum / numbers,
        firstText,
      };
    }
    return {
      name,
      kind: 'categorical',
      detected,
      missing,
      distinct: distinct.size,
      categories: sortCategories([...distinct]),
    };
  });
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
export function assignRoles(
  table: Table,
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
    if (p.missing === table.rows.length) {
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
