// Table → Dataset for row-per-sample data (CSV files, iris, the synthetic credit table): numeric
// features as numbers (missing = NaN, imputed later from training rows), categorical features
// one-hot encoded, the target as classes or values.
import { assignRoles, profileColumns, type ColumnProfile, type TableOutline } from './columns.ts';
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

/** The decisions about a table that need every row's profile but no row itself: task, target, features. */
export interface TabularPlan {
  task: Task;
  target: string;
  /** Index of the target among the table's columns. */
  targetColumn: number;
  columns: TabularColumn[];
  featureNames: string[];
  /** Columns left out, as warnings. */
  warnings: string[];
  targetProfile: ColumnProfile;
}

export function planTabular(
  table: TableOutline,
  profiles: ColumnProfile[],
  spec: DataSpec,
  ctx: Pick<LoadContext, 'outputShapes' | 'losses'>,
): TabularPlan {
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
  return {
    task,
    target,
    targetColumn: table.columns.indexOf(target),
    columns,
    featureNames,
    warnings,
    targetProfile: tp,
  };
}

/** A classifier's class names, given the target's distinct present values; refuses too many or too few. */
export function classNamesOf(
  plan: TabularPlan,
  distinctTargets: () => string[],
  tableName: string,
): string[] {
  const tp = plan.targetProfile;
  const classNames =
    tp.kind === 'categorical' ? (tp.categories ?? []) : numericFirstSorted(distinctTargets());
  if (classNames.length > MAX_CLASSES) {
    throw new DataError(
      `The target column "${plan.target}" of ${tableName} has ${classNames.length} different values; that looks like a number to predict, so use a meanSquaredError output (regression).`,
      'invalid',
      { file: tableName, column: plan.target },
    );
  }
  if (classNames.length < 2)
    throw new DataError(
      `The target column "${plan.target}" of ${tableName} has only one class ("${classNames[0]}"); a classifier needs at least two.`,
      'invalid',
      { file: tableName, column: plan.target },
    );
  return classNames;
}

/** A regression target must be a numeric column without text cells; `firstBad` finds the line to name otherwise. */
export function checkRegressionTarget(
  plan: TabularPlan,
  tableName: string,
  firstBad: () => { line: number; value: string },
): void {
  const tp = plan.targetProfile;
  if (tp.kind === 'numeric' && !tp.firstText) return;
  const bad = tp.firstText ?? firstBad();
  throw new DataError(
    `${tableName} row ${bad.line}, column "${plan.target}": "${bad.value}" is not a number, and a regression target must be numeric.`,
    'invalid',
    { file: tableName, row: bad.line, column: plan.target },
  );
}

export const missingWarning = (c: TabularColumn, count: number, lines: string): string =>
  c.kind === 'numeric'
    ? `Column "${c.name}" has ${count} missing value${count > 1 ? 's' : ''} (${lines}); they are filled with the training rows' mean.`
    : `Column "${c.name}" has ${count} missing value${count > 1 ? 's' : ''} (${lines}); they are encoded as no category (all its one-hot slots 0).`;

export const droppedWarning = (count: number, lines: string): string =>
  `${count} row${count > 1 ? 's have' : ' has'} no target value (${lines}) and ${count > 1 ? 'are' : 'is'} left out.`;

export function tableToDataset(
  table: Table,
  spec: DataSpec,
  ctx: Pick<LoadContext, 'outputShapes' | 'losses'>,
  source: string,
): Dataset {
  const profiles = profileColumns(table, spec.columnKinds);
  const plan = planTabular(
    { name: table.name, columns: table.columns, rowCount: table.rows.length },
    profiles,
    spec,
    ctx,
  );
  const { task, target, columns, featureNames } = plan;
  const warnings = [...plan.warnings];

  // Rows whose target is missing cannot be learned from: drop them, say so.
  const t = plan.targetColumn;
  const keep: number[] = [];
  const dropped: number[] = [];
  table.rows.forEach((row, r) => (row[t] === null ? dropped.push(table.lines[r]) : keep.push(r)));
  if (dropped.length > 0) warnings.push(droppedWarning(dropped.length, lineList(dropped)));
  if (keep.length === 0)
    throw new DataError(
      `${table.name} has no rows with a value in the target column "${target}".`,
      'invalid',
      {
        file: table.name,
        column: target,
      },
    );

  const x = encodeRows(table, columns, keep);
  for (const c of columns) {
    const col = table.columns.indexOf(c.name);
    const missing = keep.filter((r) => table.rows[r][col] === null).map((r) => table.lines[r]);
    if (missing.length === 0) continue;
    warnings.push(missingWarning(c, missing.length, lineList(missing)));
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
    const classNames = classNamesOf(
      plan,
      () => [...new Set(keep.map((r) => table.rows[r][t] as string))],
      table.name,
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
  checkRegressionTarget(plan, table.name, () => ({
    line: table.lines[keep.find((r) => parseNumber(table.rows[r][t] as string) === null) ?? 0],
    value: '',
  }));
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

/** Numeric order when every value is a number, else alphabetical. */
function numericFirstSorted(values: string[]): string[] {
  const nums = values.map((v) => parseNumber(v));
  return nums.every((n) => n !== null) ? values.sort((a, b) => Number(a) - Number(b)) : values.sort();
}

export function lineList(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return `row${lines.length > 1 ? 's' : ''} ${shown}${lines.length > 5 ? `, … ${lines.length - 5} more` : ''}`;
}
