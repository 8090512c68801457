// Table → Dataset for row-per-sample data (CSV files, iris, the synthetic credit table): numeric
// features as numbers (missing = NaN, imputed later from training rows), categorical features
// one-hot encoded, the target as classes or values.
import { assignRoles, profileColumns, type ColumnProfile } from './columns.ts';
import { parseNumber, type Table } from './table.ts';
import { classificationTarget, wantsClassification } from './target.ts';
import {
  DataError,
  type Dataset,
  type DataSpec,
  type LoadContext,
  type TabularColumn,
  type Task,
} from './types.ts';

/** Most distinct values a text column may have to be one-hot encoded. */
const MAX_CATEGORIES = 1000;
const MAX_CLASSES = 500;

export function tableToDataset(
  table: Table,
  spec: DataSpec,
  ctx: Pick<LoadContext, 'outputShapes' | 'losses'>,
  source: string,
): Dataset {
  const profiles = profileColumns(table, spec.columnKinds);
  const byName = new Map(profiles.map((p) => [p.name, p]));
  const roles = assignRoles(table, profiles, spec, true);
  const target = roles.target as string;
  const tp = byName.get(target) as ColumnProfile;
  const task: Task =
    spec.task ?? (tp.kind === 'categorical' || wantsClassification(ctx) ? 'classification' : 'regression');
  if (task === 'forecast')
    throw new DataError(
      `data.task "forecast" needs a data.window (length, horizon) to cut the series into samples.`,
      'invalid',
    );
  const warnings: string[] = roles.ignored
    .filter((i) => i.reason !== 'listed in data.ignore')
    .map((i) => `Column "${i.name}" is not used as a feature: ${i.reason}.`);

  // Rows whose target is missing cannot be learned from: drop them, say so.
  const t = table.columns.indexOf(target);
  const keep: number[] = [];
  const dropped: number[] = [];
  table.rows.forEach((row, r) => (row[t] === null ? dropped.push(table.lines[r]) : keep.push(r)));
  if (dropped.length > 0)
    warnings.push(
      `${dropped.length} row${dropped.length > 1 ? 's have' : ' has'} no target value (${lineList(dropped)}) and ${dropped.length > 1 ? 'are' : 'is'} left out.`,
    );
  if (keep.length === 0)
    throw new DataError(
      `${table.name} has no rows with a value in the target column "${target}".`,
      'invalid',
      {
        file: table.name,
        column: target,
      },
    );

  // Features.
  const columns: TabularColumn[] = roles.features.map((name) => {
    const p = byName.get(name) as ColumnProfile;
    if (p.kind === 'numeric') {
      if (p.firstText) {
        throw new DataError(
          p.detected === 'numeric'
            ? `${table.name} row ${p.firstText.line}, column "${name}": "${p.firstText.value}" is not a number, but the column's other values are numbers.`
            : `${table.name} row ${p.firstText.line}, column "${name}": "${p.firstText.value}" is not a number, but data.columnKinds sets the column to numeric; set it to categorical or fix the cell.`,
          'invalid',
          { file: table.name, row: p.firstText.line, column: name },
        );
      }
      return { name, kind: 'numeric' };
    }
    if (p.distinct > MAX_CATEGORIES) {
      throw new DataError(
        `Column "${name}" of ${table.name} has ${p.distinct} different text values, too many to one-hot encode (at most ${MAX_CATEGORIES}).`,
        'invalid',
        { file: table.name, column: name },
      );
    }
    return { name, kind: 'categorical', categories: p.categories ?? [] };
  });
  const featureNames = columns.flatMap((c) =>
    c.kind === 'numeric' ? [c.name] : c.categories.map((v) => `${c.name}=${v}`),
  );
  const x = encodeRows(table, columns, keep);
  for (const c of columns) {
    const col = table.columns.indexOf(c.name);
    const missing = keep.filter((r) => table.rows[r][col] === null).map((r) => table.lines[r]);
    if (missing.length === 0) continue;
    warnings.push(
      c.kind === 'numeric'
        ? `Column "${c.name}" has ${missing.length} missing value${missing.length > 1 ? 's' : ''} (${lineList(missing)}); they are filled with the training rows' mean.`
        : `Column "${c.name}" has ${missing.length} missing value${missing.length > 1 ? 's' : ''} (${lineList(missing)}); they are encoded as no category (all its one-hot slots 0).`,
    );
  }

  const base = {
    x: [x],
    featureNames,
    encodings: [{ kind: 'tabular' as const, columns }],
    warnings,
    source,
    sourceRows: keep.map((r) => table.lines[r]),
  };
  if (task === 'classification') {
    const classNames = tp.kind === 'categorical' ? (tp.categories ?? []) : distinctSorted(table, t, keep);
    if (classNames.length > MAX_CLASSES) {
      throw new DataError(
        `The target column "${target}" of ${table.name} has ${classNames.length} different values; that looks like a number to predict, so use a meanSquaredError output (regression).`,
        'invalid',
        { file: table.name, column: target },
      );
    }
    if (classNames.length < 2)
      throw new DataError(
        `The target column "${target}" of ${table.name} has only one class ("${classNames[0]}"); a classifier needs at least two.`,
        'invalid',
        { file: table.name, column: target },
      );
    const index = new Map(classNames.map((c, i) => [c, i]));
    const labels = Int32Array.from(keep, (r) => index.get(table.rows[r][t] as string) as number);
    return {
      ...base,
      task,
      labels,
      classNames,
      ...classificationTarget(labels, classNames, ctx, table.name),
    };
  }
  if (tp.kind !== 'numeric' || tp.firstText) {
    const bad = tp.firstText ?? {
      line: table.lines[keep.find((r) => parseNumber(table.rows[r][t] as string) === null) ?? 0],
      value: '',
    };
    throw new DataError(
      `${table.name} row ${bad.line}, column "${target}": "${bad.value}" is not a number, and a regression target must be numeric.`,
      'invalid',
      { file: table.name, row: bad.line, column: target },
    );
  }
  const y = Float32Array.from(keep, (r) => parseNumber(table.rows[r][t] as string) as number);
  return {
    ...base,
    task,
    y: { data: y, shape: [keep.length, 1] },
    targetEncoding: 'value',
    targetNames: [target],
  };
}

/** Encodes the given rows' feature columns: numbers (NaN when missing) and one-hot slots. */
export function encodeRows(
  table: Table,
  columns: TabularColumn[],
  rows: number[],
): { data: Float32Array; shape: number[] } {
  const width = columns.reduce((w, c) => w + (c.kind === 'numeric' ? 1 : c.categories.length), 0);
  const out = new Float32Array(rows.length * width);
  const plan = columns.map((c) => ({
    c,
    col: table.columns.indexOf(c.name),
    index: c.kind === 'categorical' ? new Map(c.categories.map((v, i) => [v, i])) : null,
  }));
  rows.forEach((r, i) => {
    let o = i * width;
    for (const { c, col, index } of plan) {
      const cell = col >= 0 ? table.rows[r][col] : null;
      if (c.kind === 'numeric') {
        const v = cell === null ? NaN : parseNumber(cell);
        if (v === null) {
          throw new DataError(
            `${table.name} row ${table.lines[r]}, column "${c.name}": "${cell}" is not a number.`,
            'invalid',
            { file: table.name, row: table.lines[r], column: c.name },
          );
        }
        out[o++] = v;
      } else {
        const k = cell === null ? undefined : index?.get(cell);
        if (k !== undefined) out[o + k] = 1;
        o += c.categories.length;
      }
    }
  });
  return { data: out, shape: [rows.length, width] };
}

function distinctSorted(table: Table, col: number, rows: number[]): string[] {
  const values = [...new Set(rows.map((r) => table.rows[r][col] as string))];
  const nums = values.map((v) => parseNumber(v));
  return nums.every((n) => n !== null) ? values.sort((a, b) => Number(a) - Number(b)) : values.sort();
}

export function lineList(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return `row${lines.length > 1 ? 's' : ''} ${shown}${lines.length > 5 ? `, … ${lines.length - 5} more` : ''}`;
}
