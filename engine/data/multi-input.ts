// data.inputs: a table's feature columns split over several Input nodes (e.g. two Inputs →
// Concatenate → Dense). Each Input gets its columns encoded exactly as single-input features are
// (numbers scaled later on the training rows, text one-hot), in the graph's Input order.
import type { Table } from './table.ts';
import { tableToDataset } from './tabular.ts';
import { inputWidthProblem, inputsWithoutColumnsProblem } from './input-checks.ts';
import { DataError, type Dataset, type DataSpec, type LoadContext, type TensorData } from './types.ts';

export type InputColumns = Record<string, string[]>;

/** The columns of every Input in `data.inputs`, in the key order written (for the data preview). */
export function inputColumnsOf(spec: DataSpec): string[] | undefined {
  const inputs = spec.inputs;
  return inputs ? Object.values(inputs).flat() : undefined;
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

function checkInputs(
  inputs: InputColumns,
  table: Table,
  target: string,
  inputIds: string[],
  source: string,
): void {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))
    throw new DataError(
      `data.inputs must map each Input node id to a list of columns, e.g. {"${inputIds[0] ?? 'input'}": ["a", "b"]}.`,
      'invalid',
    );
  for (const [id, columns] of Object.entries(inputs)) {
    if (!inputIds.includes(id))
      throw new DataError(
        `data.inputs names "${id}", which is not an Input node of the graph (its Input nodes are ${quoted(inputIds)}).`,
        'invalid',
      );
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string'))
      throw new DataError(`data.inputs.${id} must be a non-empty list of column names.`, 'invalid');
  }
  const missing = inputIds.filter((id) => !(id in inputs));
  if (missing.length > 0) throw new DataError(inputsWithoutColumnsProblem(missing), 'invalid');
  const owner = new Map<string, string>();
  for (const id of inputIds) {
    for (const c of inputs[id]) {
      if (!table.columns.includes(c))
        throw new DataError(
          `data.inputs.${id} names "${c}", which is not a column of ${table.name} (its columns are ${table.columns.join(', ')}).`,
          'invalid',
          { file: table.name, column: c },
        );
      if (c === target)
        throw new DataError(
          `data.inputs.${id} names "${c}", which is the target column of ${source}; a model can't be given what it predicts.`,
          'invalid',
          { file: table.name, column: c },
        );
      const first = owner.get(c);
      if (first !== undefined)
        throw new DataError(
          first === id
            ? `data.inputs.${id} names the column "${c}" twice.`
            : `The column "${c}" is given to two Input nodes, "${first}" and "${id}"; give each column to one Input.`,
          'invalid',
          { file: table.name, column: c },
        );
      owner.set(c, id);
    }
  }
}

/**
 * One x tensor per Input (in `inputIds` order) from `data.inputs`. `inputShapes[i]` is the shape of
 * `inputIds[i]`; an Input whose size differs from its columns' encoded width is refused.
 */
export function tableToMultiInput(
  table: Table,
  spec: DataSpec & { inputs: InputColumns },
  ctx: Pick<LoadContext, 'outputShapes' | 'losses' | 'inputShapes'> & { inputIds: string[] },
  source: string,
): Dataset {
  if (spec.features)
    throw new DataError(
      'data.features and data.inputs both choose feature columns; keep only data.inputs.',
      'invalid',
    );
  const target = spec.target ?? table.columns[table.columns.length - 1];
  checkInputs(spec.inputs, table, target, ctx.inputIds, source);
  const features = ctx.inputIds.flatMap((id) => spec.inputs[id]);
  const ds = tableToDataset(table, { ...spec, features }, ctx, source);
  const enc = ds.encodings[0];
  if (enc?.kind !== 'tabular') throw new Error('a table encodes to tabular features');
  const all = ds.x[0];
  const n = all.shape[0];
  const total = all.shape[1];
  const x: TensorData[] = [];
  const encodings: Dataset['encodings'] = [];
  let offset = 0;
  ctx.inputIds.forEach((id, i) => {
    const names = spec.inputs[id];
    const columns = enc.columns.filter((c) => names.includes(c.name));
    const width = columns.reduce((w, c) => w + (c.kind === 'numeric' ? 1 : c.categories.length), 0);
    const shape = ctx.inputShapes[i];
    const problem = inputWidthProblem(id, shape, names, width);
    if (problem) throw new DataError(problem, 'invalid');
    const data = new Float32Array(n * width);
    for (let r = 0; r < n; r++)
      data.set(all.data.subarray(r * total + offset, r * total + offset + width), r * width);
    x.push({ data, shape: [n, ...shape] });
    encodings.push({ kind: 'tabular', columns });
    offset += width;
  });
  return { ...ds, x, encodings, featureNames: ds.featureNames };
}
