// Training data from a CSV too large for memory (engine/data/stream/): the validation and test
// splits in memory as usual, the training split as a RowSource over a cache inside the run folder,
// removed when the run ends; split.json points to a binary index file instead of listing millions
// of indices (docs/DATA.md, "Large CSV files").
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { applyPreprocessing } from '../data/index.ts';
import { preprocessingFromStats } from '../data/preprocess.ts';
import { streamCsvSplits, type StreamedSplits } from '../data/stream/streamed-splits.ts';
import { CachedRows } from '../data/stream/train-cache.ts';
import type { Dataset, DataSpec, LoadContext, Preprocessing } from '../data/types.ts';
import type { Project } from '../project/schema.ts';
import type { RowSource } from './loop.ts';

/** Folder of a run's training cache. */
export const CACHE_DIR = 'data-cache';
/** A streamed run's split, as Int32 little-endian arrays (see split.json's `indexFile`). */
export const SPLIT_INDEX_FILE = 'split-indices.bin';

export const splitOptionsOf = (project: Project, seed: number) => ({
  testSplit: project.data?.testSplit ?? 0.2,
  validationSplit: project.training?.validationSplit ?? 0,
  seed,
});

export interface StreamedTraining {
  prep: Preprocessing;
  train: RowSource & { close(): void };
  validation: { x: Dataset['x']; y: Dataset['y'] } | null;
  test: Dataset;
  testX: Dataset['x'];
  warnings: string[];
  samples: { train: number; validation: number; test: number };
  split: Record<string, unknown>;
  /** Closes the cache and deletes it. */
  dispose(): Promise<void>;
}

export async function prepareStreamedTraining(
  project: Project,
  file: string,
  ctx: LoadContext,
  runDir: string,
  signal?: AbortSignal,
): Promise<StreamedTraining> {
  const spec = project.data as DataSpec;
  const cacheDir = path.join(runDir, CACHE_DIR);
  const opts = splitOptionsOf(project, ctx.seed);
  let s: StreamedSplits;
  try {
    s = await streamCsvSplits(file, spec, ctx, opts, cacheDir, signal);
  } catch (err) {
    await fs.rm(cacheDir, { recursive: true, force: true });
    throw err;
  }
  const cache = s.train!;
  const prep = preprocessingFromStats(s.meta, [cache.xStats], cache.yStats, {
    scaling: spec.scaling,
    scaleTarget: spec.scaleTarget,
  });
  const rows = new CachedRows(cache, prep.inputs[0], prep.target);
  const train: StreamedTraining['train'] = {
    samples: cache.samples,
    xShape: s.sampleShape,
    yShape: [cache.yWidth],
    take: (r) => rows.take(r),
    close: () => rows.close(),
  };
  await writeSplitIndex(runDir, s);
  const validation = s.validation ? applyPreprocessing(prep, s.validation) : null;
  let disposed = false;
  return {
    prep,
    train,
    validation: validation && validation.y.shape[0] > 0 ? validation : null,
    test: s.test,
    testX: applyPreprocessing(prep, s.test).x,
    warnings: s.meta.warnings,
    samples: {
      train: cache.samples,
      validation: s.indices.validation.length,
      test: s.indices.test.length,
    },
    split: {
      ...opts,
      order: s.meta.task === 'classification' ? 'stratified' : 'shuffled',
      samples: s.samples,
      counts: {
        train: s.indices.train.length,
        validation: s.indices.validation.length,
        test: s.indices.test.length,
      },
      indexFile: SPLIT_INDEX_FILE,
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      rows.close();
      await fs.rm(cacheDir, { recursive: true, force: true });
    },
  };
}

/** Sample indices of train, validation and test, then their source lines, each an Int32 LE array. */
async function writeSplitIndex(runDir: string, s: StreamedSplits): Promise<void> {
  const parts = [
    s.indices.train,
    s.indices.validation,
    s.indices.test,
    s.sourceRows.train ?? new Int32Array(0),
    s.sourceRows.validation,
    s.sourceRows.test,
  ];
  const handle = await fs.open(path.join(runDir, SPLIT_INDEX_FILE), 'w');
  try {
    for (const p of parts) await handle.write(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  } finally {
    await handle.close();
  }
}

/** A saved run's test split from a streamed CSV: streamed again, without writing a training cache. */
export async function streamedTestSplit(project: Project, file: string, ctx: LoadContext): Promise<Dataset> {
  const s = await streamCsvSplits(
    file,
    project.data as DataSpec,
    ctx,
    splitOptionsOf(project, ctx.seed),
    null,
  );
  return s.test;
}
