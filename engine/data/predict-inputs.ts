// Inputs for `predict`: a new CSV or image encoded exactly as the training data was (same columns,
// categories and image size), left unscaled — transformInputs(prep, x) applies the saved scaling.
import path from 'node:path';
import { readImageFile } from './images.ts';
import { readCsvFile, type Table } from './table.ts';
import { encodeRows } from './tabular.ts';
import {
  DataError,
  type FeatureScaler,
  type InputEncoding,
  type Preprocessing,
  type TensorData,
} from './types.ts';
import { parseNumber } from './table.ts';

export async function loadPredictInputs(
  prep: Preprocessing,
  file: string,
): Promise<{ x: TensorData[]; rowLabels: string[]; warnings: string[] }> {
  const enc = prep.encodings[0];
  const name = path.basename(file);
  if (prep.encodings.length > 1) {
    if (prep.encodings.some((e) => e.kind !== 'tabular'))
      throw new DataError('predict supports several model inputs only for tabular (CSV) data.', 'invalid');
    const table = await readCsvFile(file, true);
    const encoded = prep.encodings.map((e, i) =>
      tabularRows(table, e as TabularEncoding, prep.inputs[i], name),
    );
    return {
      x: encoded.map((e) => e.x),
      rowLabels: table.lines.map((l) => `row ${l}`),
      warnings: encoded.flatMap((e) => e.warnings),
    };
  }
  if (!enc) throw new DataError('predict needs a model with at least one input.', 'invalid');
  if (enc.kind === 'image') {
    const data = await readImageFile(file, enc);
    return {
      x: [{ data, shape: [1, enc.height, enc.width, enc.channels] }],
      rowLabels: [name],
      warnings: [],
    };
  }
  if (enc.kind === 'raw')
    throw new DataError(
      `This model was trained on builtin signals; predict reads a CSV with one value per row only for series models.`,
      'invalid',
    );
  const table = await readCsvFile(file, true);
  const missingCols = (names: string[]) => names.filter((n) => !table.columns.includes(n));
  if (enc.kind === 'tabular') {
    const { x, warnings } = tabularRows(table, enc, prep.inputs[0], name);
    return { x: [x], rowLabels: table.lines.map((l) => `row ${l}`), warnings };
  }
  const absent = missingCols(enc.columns);
  if (absent.length > 0)
    throw new DataError(
      `${name} lacks the column${absent.length > 1 ? 's' : ''} ${absent.map((a) => `"${a}"`).join(', ')} of the series the model was trained on.`,
      'invalid',
      { file: name, column: absent[0] },
    );
  if (table.rows.length < enc.length)
    throw new DataError(
      `${name} has ${table.rows.length} rows; the model needs the last ${enc.length} steps of the series.`,
      'invalid',
      { file: name },
    );
  const start = table.rows.length - enc.length;
  const series = new Float32Array(enc.length * enc.columns.length);
  enc.columns.forEach((c, f) => {
    const col = table.columns.indexOf(c);
    for (let r = 0; r < enc.length; r++) {
      const cell = table.rows[start + r][col];
      const v = cell === null ? null : parseNumber(cell);
      if (v === null)
        throw new DataError(
          `${name} row ${table.lines[start + r]}, column "${c}": "${cell ?? ''}" is not a number.`,
          'invalid',
          { file: name, row: table.lines[start + r], column: c },
        );
      series[r * enc.columns.length + f] = v;
    }
  });
  return {
    x: [{ data: series, shape: [1, enc.length, enc.columns.length] }],
    rowLabels: [
      `next ${enc.horizon} step${enc.horizon > 1 ? 's' : ''} after row ${table.lines[table.lines.length - 1]}`,
    ],
    warnings: [],
  };
}

export type TabularEncoding = Extract<InputEncoding, { kind: 'tabular' }>;

/** A file to predict on must have every column the model was trained on (in any order). */
export function checkTrainedColumns(columns: string[], enc: TabularEncoding, name: string): void {
  const absent = enc.columns.map((c) => c.name).filter((n) => !columns.includes(n));
  if (absent.length > 0)
    throw new DataError(
      `${name} lacks the column${absent.length > 1 ? 's' : ''} ${absent.map((a) => `"${a}"`).join(', ')} that the model was trained on.`,
      'invalid',
      { file: name, column: absent[0] },
    );
}

/** Every row of `table` encoded as one tabular input: its columns, its categories (unseen ones: no category). */
export function tabularRows(
  table: Table,
  enc: TabularEncoding,
  scaler: FeatureScaler | undefined,
  name: string,
): { x: TensorData; warnings: string[] } {
  checkTrainedColumns(table.columns, enc, name);
  const warnings: string[] = [];
  let slot = 0;
  for (const c of enc.columns) {
    const col = table.columns.indexOf(c.name);
    const fill = scaler?.fill[slot];
    slot += c.kind === 'numeric' ? 1 : c.categories.length;
    table.rows.forEach((r, i) => {
      if (r[col] !== null) return;
      warnings.push(
        c.kind === 'numeric'
          ? `${name} row ${table.lines[i]}, column "${c.name}" is blank; the training mean${fill === undefined ? '' : ` ${Number(fill.toPrecision(6))}`} is used.`
          : `${name} row ${table.lines[i]}, column "${c.name}" is blank; it is encoded as no category.`,
      );
    });
    if (c.kind !== 'categorical') continue;
    table.rows.forEach((r, i) => {
      const v = r[col];
      if (v !== null && !c.categories.includes(v))
        warnings.push(
          `${name} row ${table.lines[i]}, column "${c.name}": "${v}" was not seen in training; it is encoded as no category.`,
        );
    });
  }
  const x = encodeRows(
    table,
    enc.columns,
    table.rows.map((_, i) => i),
  );
  return { x, warnings };
}
