// A CSV too large to hold in memory, loaded and split in two streaming passes with the same
// decisions, the same split and the same preprocessing statistics as loadDataset + splitDataset +
// fitPreprocessing would give (docs/DATA.md, "Large CSV files"): validation and test splits in
// memory, the training split in a binary cache on disk read batch by batch.
import {
  lineList,
  planTabular,
  classNamesOf,
  checkRegressionTarget,
  droppedWarning,
  missingWarning,
} from '../tabular.ts';
import { classificationTarget } from '../target.ts';
import { fitToInput } from '../load.ts';
import { splitIndices } from '../split.ts';
import { DataError, type Dataset, type DataSpec, type LoadContext, type SplitOptions } from '../types.ts';
import { encodePass, type EncodePlan, type MemorySplit, type Placement } from './encode-pass.ts';
import { profilePass } from './profile-pass.ts';
import { BucketWriter, type TrainCache } from './train-cache.ts';
import path from 'node:path';

export interface StreamedSplits {
  /** The dataset's description without its samples (x and y are empty). */
  meta: Dataset;
  samples: number;
  /** One sample's shape at the model's Input. */
  sampleShape: number[];
  indices: { train: Int32Array; validation: Int32Array; test: Int32Array };
  /** Source line of each sample per split, in split order. */
  sourceRows: { train: Int32Array | null; validation: Int32Array; test: Int32Array };
  /** The training split on disk; null when not asked for (evaluating a saved run). */
  train: TrainCache | null;
  validation: Dataset | null;
  test: Dataset;
}

function memorySplit(n: number, width: number, yWidth: number, classes: boolean): MemorySplit {
  return {
    x: new Float32Array(n * width),
    y: new Float32Array(n * yWidth),
    labels: classes ? new Int32Array(n) : null,
    lines: new Int32Array(n),
  };
}

/**
 * Streams `file` (a csv: source) into splits. `cacheDir` (inside the run folder) receives the
 * training cache; null loads the validation and test splits only.
 */
export async function streamCsvSplits(
  file: string,
  spec: DataSpec,
  ctx: LoadContext,
  split: SplitOptions,
  cacheDir: string | null,
  signal?: AbortSignal,
): Promise<StreamedSplits> {
  const header = typeof spec.header === 'boolean' ? spec.header : undefined;
  const pass = await profilePass(file, header, spec.target, spec.columnKinds, signal);
  const name = pass.head.name;
  const plan = planTabular(
    { name, columns: pass.head.columns, rowCount: pass.rows },
    pass.profiles,
    spec,
    ctx,
  );
  const samples = pass.targetIds.length;
  if (samples === 0)
    throw new DataError(
      `${name} has no rows with a value in the target column "${plan.target}".`,
      'invalid',
      {
        file: name,
        column: plan.target,
      },
    );
  const width = plan.featureNames.length;
  let labels: Int32Array | undefined;
  let classNames: string[] | undefined;
  let classIndex: Map<string, number> | null = null;
  let targetEncoding: Dataset['targetEncoding'] = 'value';
  let yWidth = 1;
  if (plan.task === 'classification') {
    classNames = classNamesOf(plan, () => [...pass.targetValues], name);
    classIndex = new Map(classNames.map((c, i) => [c, i]));
    const ofId = pass.targetValues.map((v) => classIndex!.get(v) as number);
    labels = new Int32Array(samples);
    for (let s = 0; s < samples; s++) labels[s] = ofId[pass.targetIds[s]];
    targetEncoding = classificationTarget(new Int32Array(0), classNames, ctx, name).targetEncoding;
    yWidth = targetEncoding === 'onehot' ? classNames.length : 1;
  } else {
    checkRegressionTarget(plan, name, () => pass.targetText ?? { line: 0, value: '' });
  }
  const warningsSoFar = [...pass.notes, ...plan.warnings];
  if (ctx.inputShapes.length !== 1)
    throw new DataError(
      `data.source ${spec.source} feeds one model input, but the graph has ${ctx.inputShapes.length} Input nodes.`,
      'invalid',
    );
  let sampleShape: number[];
  try {
    sampleShape = fitToInput(
      { data: new Float32Array(0), shape: [0, width] },
      ctx.inputShapes[0],
      spec.source,
      plan.featureNames,
    ).shape.slice(1);
  } catch (err) {
    const why = warningsSoFar.filter((w) => / is not used as a feature: | is treated as text /.test(w));
    if (err instanceof DataError && why.length)
      throw new DataError(`${err.message} ${why.join(' ')}`, err.kind);
    throw err;
  }

  const idx = splitIndices({ samples, task: plan.task, labels, source: spec.source }, split);
  const indices = {
    train: Int32Array.from(idx.train),
    validation: Int32Array.from(idx.validation),
    test: Int32Array.from(idx.test),
  };
  const placement: Placement = { split: new Uint8Array(samples), position: new Int32Array(samples) };
  ([indices.train, indices.validation, indices.test] as const).forEach((list, s) => {
    for (let p = 0; p < list.length; p++) {
      placement.split[list[p]] = s;
      placement.position[list[p]] = p;
    }
  });
  const classes = plan.task === 'classification';
  const memory = [
    null,
    memorySplit(indices.validation.length, width, yWidth, classes),
    memorySplit(indices.test.length, width, yWidth, classes),
  ];
  const encodePlan: EncodePlan = {
    columns: plan.columns,
    columnIndex: plan.columns.map((c) => pass.head.columns.indexOf(c.name)),
    width,
    targetColumn: plan.targetColumn,
    task: plan.task === 'classification' ? 'classification' : 'regression',
    targetEncoding,
    classIndex,
    yWidth,
    rewrite: pass.rewrite,
  };
  const buckets = cacheDir ? new BucketWriter(cacheDir, indices.train.length, width, yWidth) : null;
  let train: TrainCache | null;
  let encoded;
  try {
    encoded = await encodePass(file, header, encodePlan, placement, memory, buckets, signal);
    train = buckets?.finish(path.join(cacheDir!, 'train.f32'), plan.task !== 'classification') ?? null;
  } catch (err) {
    buckets?.discard();
    throw err;
  }
  const warnings = [...warningsSoFar];
  const { dropped, missing } = encoded;
  if (dropped.count > 0) warnings.push(droppedWarning(dropped.count, countedLines(dropped)));
  plan.columns.forEach((c, k) => {
    if (missing[k].count > 0) warnings.push(missingWarning(c, missing[k].count, countedLines(missing[k])));
  });

  const meta: Dataset = {
    task: plan.task,
    x: [{ data: new Float32Array(0), shape: [0, ...sampleShape] }],
    y: { data: new Float32Array(0), shape: [0, yWidth] },
    targetEncoding,
    classNames,
    featureNames: plan.featureNames,
    targetNames: plan.task === 'classification' ? undefined : [plan.target],
    encodings: [{ kind: 'tabular', columns: plan.columns }],
    warnings,
    source: spec.source,
  };
  const asDataset = (m: MemorySplit): Dataset => {
    const n = m.lines.length;
    return {
      ...meta,
      x: [{ data: m.x, shape: [n, ...sampleShape] }],
      y: { data: m.y, shape: [n, yWidth] },
      labels: m.labels ?? undefined,
      sourceRows: Array.from(m.lines),
    };
  };
  return {
    meta,
    samples,
    sampleShape,
    indices,
    sourceRows: { train: train?.lines ?? null, validation: memory[1]!.lines, test: memory[2]!.lines },
    train,
    validation: indices.validation.length > 0 ? asDataset(memory[1]!) : null,
    test: asDataset(memory[2]!),
  };
}

/** lineList of the first five lines of `count` (the others are counted, not kept). */
function countedLines(m: { count: number; lines: number[] }): string {
  const shown = lineList(m.lines);
  return m.count > 5 ? shown.replace(/(, … \d+ more)?$/, `, … ${m.count - 5} more`) : shown;
}
