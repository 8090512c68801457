// loadDataset: a project's `data` section + the model's input shapes → a Dataset ready to split.
import path from 'node:path';
import { builtinInfo, builtinTable, builtinTensor, unknownBuiltin } from './builtin/index.ts';
import { loadImageFolder } from './images.ts';
import { readSourceText } from './source.ts';
import { readCsvFile, type Table } from './table.ts';
import { tableToMultiInput } from './multi-input.ts';
import { tableToDataset } from './tabular.ts';
import { classificationTarget } from './target.ts';
import { sameShape, sizeOf } from './tensor.ts';
import { DataError, type Dataset, type DataSpec, type LoadContext, type TensorData } from './types.ts';
import { tableToWindows } from './window.ts';
import type { ProjectData } from '../project/schema.ts';
import { PathOutsideRootError, resolveInsideSync } from '../safety/paths.ts';

export type ParsedSource =
  { kind: 'builtin'; name: string } | { kind: 'csv'; file: string } | { kind: 'images'; folder: string };

/**
 * A relative data path must stay in the project's folder (or below), symlinks included:
 * `csv:../../etc/passwd` is refused. An absolute path is the caller's explicit choice and is left to
 * the host's policy (web mode confines it to the workspace, the desktop app to what the user picked);
 * callers without a project file pass the working directory as `projectDir`, so it can't be judged here.
 */
function insideProjectFolder(projectDir: string, relative: string, source: string): string {
  if (!relative)
    throw new DataError(`data.source "${source}" names no file or folder after the colon.`, 'invalid');
  if (path.isAbsolute(relative)) return path.resolve(relative);
  try {
    return resolveInsideSync(projectDir, relative);
  } catch (err) {
    if (!(err instanceof PathOutsideRootError)) throw err;
    throw new DataError(
      `data.source "${source}" points outside the project's folder; move the data into that folder or below it.`,
      'invalid',
      { file: path.resolve(projectDir, relative) },
    );
  }
}

export function parseSource(source: string, projectDir: string): ParsedSource {
  const { kind, rest } = readSourceText(source);
  if (kind === 'builtin') return { kind, name: rest };
  const resolved = insideProjectFolder(projectDir, rest, source);
  return kind === 'csv' ? { kind, file: resolved } : { kind: 'images', folder: resolved };
}

/** The table behind a csv: or tabular builtin: source, with the builtin's default keys merged in; null for images/tensors. */
export async function sourceTable(
  spec: DataSpec,
  projectDir: string,
  seed: number,
): Promise<{ table: Table; spec: DataSpec } | null> {
  const src = parseSource(spec.source, projectDir);
  if (src.kind === 'csv')
    return {
      table: await readCsvFile(src.file, typeof spec.header === 'boolean' ? spec.header : undefined),
      spec,
    };
  if (src.kind === 'images') return null;
  const table = await builtinTable(src.name, spec, seed);
  if (!table) return null;
  return {
    table,
    spec: { ...builtinInfo(src.name)?.defaults, ...stripUndefined(spec), source: spec.source },
  };
}

export async function loadDataset(data: ProjectData, ctx: LoadContext): Promise<Dataset> {
  const spec = data as DataSpec;
  const oneInputOnly = () =>
    new DataError(
      `data.source ${spec.source} feeds one model input, but the graph has ${ctx.inputShapes.length} Input nodes.`,
      'invalid',
    );
  const src = parseSource(spec.source, ctx.projectDir);
  const tabular = src.kind === 'images' ? null : await sourceTable(spec, ctx.projectDir, ctx.seed);
  if (tabular && !tabular.spec.window && (spec.inputs !== undefined || ctx.inputShapes.length > 1)) {
    if (spec.inputs === undefined)
      throw new DataError(
        `data.source ${spec.source} feeds one model input, but the graph has ${ctx.inputShapes.length} Input nodes; map each Input node id to its columns with data.inputs.`,
        'invalid',
      );
    if (!ctx.inputIds) throw new Error('loadDataset needs ctx.inputIds for data.inputs');
    const { table, spec: merged } = tabular;
    return tableToMultiInput(
      table,
      { ...merged, inputs: spec.inputs },
      { ...ctx, inputIds: ctx.inputIds },
      spec.source,
    );
  }
  if (spec.inputs !== undefined)
    throw new DataError(
      `data.inputs splits the columns of a table over Input nodes; ${spec.source}${tabular ? ' cut into windows' : ''} feeds a single Input, so remove data.inputs.`,
      'invalid',
    );
  if (ctx.inputShapes.length !== 1) throw oneInputOnly();
  const inputShape = ctx.inputShapes[0];
  if (src.kind === 'images') return loadImageFolder(src.folder, ctx, spec.source);
  if (tabular) {
    const { table, spec: merged } = tabular;
    const ds = merged.window
      ? tableToWindows(table, merged, spec.source)
      : tableToDataset(table, merged, ctx, spec.source);
    return { ...ds, x: [fitToInput(ds.x[0], inputShape, spec.source, ds.featureNames)] };
  }
  if (src.kind !== 'builtin') throw unknownBuiltin(spec.source);
  const t = await builtinTensor(src.name, spec, inputShape, ctx.seed);
  const synthetic = builtinInfo(src.name)?.synthetic;
  return {
    task: 'classification',
    x: [fitToInput({ data: t.x, shape: t.shape }, inputShape, spec.source)],
    labels: t.labels,
    classNames: t.classNames,
    ...classificationTarget(t.labels, t.classNames, ctx, spec.source),
    encodings: [
      t.shape.length === 4
        ? { kind: 'image', height: t.shape[1], width: t.shape[2], channels: t.shape[3] as 1 | 3 }
        : { kind: 'raw', shape: t.shape.slice(1) },
    ],
    warnings: synthetic
      ? [`${spec.source} is synthetic data generated by seeded code, not measurements.`]
      : [],
    source: spec.source,
  };
}

/** Reshapes samples to the Input's shape when the sizes agree (e.g. 28×28×1 → 784); otherwise says what the Input should be. */
function fitToInput(
  x: TensorData,
  inputShape: number[],
  source: string,
  featureNames?: string[],
): TensorData {
  const sample = x.shape.slice(1);
  if (sameShape(sample, inputShape)) return x;
  if (sizeOf(sample) === sizeOf(inputShape) && inputShape.every((d) => d > 0))
    return { data: x.data, shape: [x.shape[0], ...inputShape] };
  const what =
    featureNames && sample.length === 1
      ? ` (${featureNames.length <= 8 ? featureNames.join(', ') : `${featureNames.slice(0, 6).join(', ')}, …`})`
      : '';
  throw new DataError(
    `${source} gives samples of shape [${sample}]${what}, but the Input node's shape is [${inputShape}]; set the Input shape to [${sample}].`,
    'invalid',
  );
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
