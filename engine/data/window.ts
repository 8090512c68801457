// Time-series windowing: a series of T time steps × F features becomes samples of `length` steps
// (x: [N, length, F]) whose target is the next `horizon` values of one column (y: [N, horizon]).
// The naive baseline predicts the last value seen in the window for every future step.
import { profileColumns } from './columns.ts';
import { parseNumber, type Table } from './table.ts';
import { lineList } from './tabular.ts';
import { DataError, type Dataset, type DataSpec, type TensorData } from './types.ts';

export interface WindowOptions {
  length: number;
  horizon: number;
  stride: number;
}

export interface Windows {
  x: TensorData;
  y: TensorData;
  naive: TensorData;
}

/** `series` is row-major [steps, features]. Window i starts at step i·stride. */
export function windowSeries(
  series: Float32Array,
  features: number,
  targetIndex: number,
  opts: WindowOptions,
): Windows {
  const { length, horizon, stride } = opts;
  const steps = series.length / features;
  const n = steps >= length + horizon ? Math.floor((steps - length - horizon) / stride) + 1 : 0;
  const x = new Float32Array(n * length * features);
  const y = new Float32Array(n * horizon);
  const naive = new Float32Array(n * horizon);
  for (let i = 0; i < n; i++) {
    const s = i * stride;
    x.set(series.subarray(s * features, (s + length) * features), i * length * features);
    const last = series[(s + length - 1) * features + targetIndex];
    for (let h = 0; h < horizon; h++) {
      y[i * horizon + h] = series[(s + length + h) * features + targetIndex];
      naive[i * horizon + h] = last;
    }
  }
  return {
    x: { data: x, shape: [n, length, features] },
    y: { data: y, shape: [n, horizon] },
    naive: { data: naive, shape: [n, horizon] },
  };
}

export function windowOptions(spec: DataSpec): WindowOptions {
  const w = spec.window;
  if (!w) throw new Error('windowOptions needs data.window');
  const int = (v: unknown, key: string, min: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw new DataError(`data.window.${key} must be a whole number of at least ${min}.`, 'invalid');
    return v;
  };
  return {
    length: int(w.length, 'length', 1),
    horizon: int(w.horizon ?? 1, 'horizon', 1),
    stride: int(w.stride ?? 1, 'stride', 1),
  };
}

/** A table read as a time series (rows in time order) → forecast Dataset. */
export function tableToWindows(table: Table, spec: DataSpec, source: string): Dataset {
  const opts = windowOptions(spec);
  const profiles = profileColumns(table, spec.columnKinds);
  const ignore = new Set([
    ...(spec.ignore ?? []),
    ...Object.entries(spec.columnKinds ?? {})
      .filter(([, kind]) => kind === 'ignore')
      .map(([name]) => name),
  ]);
  const numeric = profiles.filter((p) => p.kind === 'numeric' && !ignore.has(p.name)).map((p) => p.name);
  const column = spec.window?.column ?? spec.target ?? numeric[0];
  if (column === undefined)
    throw new DataError(`${table.name} has no numeric column to forecast.`, 'invalid', { file: table.name });
  const features = spec.window?.features ?? spec.features ?? [column];
  for (const name of [column, ...features]) {
    if (!table.columns.includes(name)) {
      throw new DataError(
        `data.window names "${name}", which is not a column of ${table.name} (its columns are ${table.columns.join(', ')}).`,
        'invalid',
        { file: table.name, column: name },
      );
    }
  }
  if (!features.includes(column)) features.push(column);
  const warnings: string[] = [];
  const cols = features.map((n) => table.columns.indexOf(n));
  const steps = table.rows.length;
  const series = new Float32Array(steps * features.length);
  cols.forEach((col, f) => {
    const missing: number[] = [];
    let last = NaN;
    for (let r = 0; r < steps; r++) {
      const cell = table.rows[r][col];
      let v: number;
      if (cell === null) {
        missing.push(table.lines[r]);
        v = last;
      } else {
        const parsed = parseNumber(cell);
        if (parsed === null) {
          throw new DataError(
            `${table.name} row ${table.lines[r]}, column "${features[f]}": "${cell}" is not a number, and a series to forecast must be numeric.`,
            'invalid',
            {
              file: table.name,
              row: table.lines[r],
              column: features[f],
            },
          );
        }
        v = parsed;
        last = v;
      }
      series[r * features.length + f] = v;
    }
    if (missing.length > 0) {
      // Leading gaps take the first value seen; later gaps repeat the last value (no look-ahead).
      const first = series.find((_, i) => i % features.length === f && !Number.isNaN(series[i]));
      for (let r = 0; r < steps && Number.isNaN(series[r * features.length + f]); r++)
        series[r * features.length + f] = first ?? 0;
      warnings.push(
        `Column "${features[f]}" has ${missing.length} missing value${missing.length > 1 ? 's' : ''} (${lineList(missing)}); each is filled with the previous value.`,
      );
    }
  });
  const w = windowSeries(series, features.length, features.indexOf(column), opts);
  if (w.y.shape[0] === 0) {
    throw new DataError(
      `${table.name} has ${steps} rows, too few for one window of ${opts.length} steps plus a horizon of ${opts.horizon}.`,
      'invalid',
      { file: table.name },
    );
  }
  return {
    task: 'forecast',
    x: [w.x],
    y: w.y,
    naive: w.naive,
    targetEncoding: 'value',
    featureNames: features,
    targetNames: Array.from({ length: opts.horizon }, (_, h) =>
      opts.horizon === 1 ? column : `${column}[t+${h + 1}]`,
    ),
    encodings: [
      {
        kind: 'window',
        length: opts.length,
        horizon: opts.horizon,
        columns: features,
        targetIndex: features.indexOf(column),
        ...(spec.window?.relative ? { relative: true } : {}),
      },
    ],
    warnings,
    source,
  };
}
