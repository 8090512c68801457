// `netwright import-checkpoint <package> [--checkpoint <folder>] --out <run-dir>`: the weights a
// PyTorch package trained, back as a Netwright run folder (tfjs model, the package's project and
// preprocessing, history from metrics.jsonl, test metrics recomputed by Netwright on the same split).
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { EngineError } from '../api.ts';
import { compileGraph } from '../compile/tfjs-model.ts';
import { applyPreprocessing, loadDataset } from '../data/index.ts';
import type { DataSpec, Preprocessing, TensorData } from '../data/types.ts';
import { evaluateOnTest, type TestMetrics } from '../eval/evaluate.ts';
import { saveLayersModel } from '../io/tfjs-files.ts';
import { readProjectFile } from '../project/files.ts';
import type { Project } from '../project/schema.ts';
import { RunReadError, RUN_FILES, writeRunJson, type RunInfo } from '../runs/run-dir.ts';
import { loadContextFor, splitsFor } from '../train/data-context.ts';
import { splitRecord } from '../runs/split-record.ts';
import type { EpochRecord } from '../train/loop.ts';
import { decodeNpy, NpyError } from './npy.ts';
import { PACKAGE_META, type TorchPackageSource } from './package.ts';
import { torchGraph } from './torch-graph.ts';
import { setTfjsWeights } from './weights.ts';

export interface ImportCheckpointRequest {
  packageDir: string;
  /** A checkpoint folder (holding weights/), relative to the current folder or the package. */
  checkpoint?: string;
  outDir: string;
}

export interface ImportCheckpointOutcome {
  runDir: string;
  /** The checkpoint folder read, relative to the package. */
  checkpoint: string;
  metrics: TestMetrics;
  /** What train.py reported on the test split (output/final/metrics.json), when present. */
  reported?: Record<string, number | string | boolean | null>;
  epochsRun: number;
}

const unreadable = (message: string) => new RunReadError(message);
const invalid = (message: string) => new EngineError({ code: 'invalid', message });

async function readJsonFile<T>(file: string, what: string): Promise<T> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    throw unreadable(`${what} is missing or not valid JSON.`);
  }
}

async function isDir(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => null))?.isDirectory() ?? false;
}

/** The checkpoint folder: the one asked for, else output/final, else the latest epoch's. */
async function checkpointDir(pkg: string, asked?: string): Promise<string> {
  if (asked) {
    for (const candidate of [path.resolve(asked), path.resolve(pkg, asked)])
      if (await isDir(candidate)) return candidate;
    throw unreadable(`The checkpoint folder ${asked} does not exist.`);
  }
  const final = path.join(pkg, 'output', 'final');
  if (await isDir(final)) return final;
  const latest = await fs
    .readFile(path.join(pkg, 'output', 'checkpoints', 'latest'), 'utf8')
    .catch(() => null);
  if (latest) return path.join(pkg, 'output', 'checkpoints', latest.trim());
  throw unreadable(
    `${path.basename(pkg)} has no trained weights yet (no output/final or output/checkpoints); run train.py first or name a folder with --checkpoint.`,
  );
}

/** weights/ inside a checkpoint folder, or the folder itself when it holds the .npy files. */
async function weightsDir(checkpoint: string): Promise<string> {
  return (await isDir(path.join(checkpoint, 'weights'))) ? path.join(checkpoint, 'weights') : checkpoint;
}

/** state_dict entries by key, read from <dir>/<key>.npy when the converter asks for them. */
function stateReader(dir: string): (key: string) => TensorData {
  return (key) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(dir, `${key}.npy`));
    } catch {
      throw invalid(`The checkpoint has no ${key}.npy, which model.py's ${key.split('.')[0]} needs.`);
    }
    try {
      return decodeNpy(bytes, `${key}.npy`);
    } catch (err) {
      throw invalid(err instanceof NpyError ? err.message : `${key}.npy could not be read.`);
    }
  };
}

/** metrics.jsonl's epoch lines as Netwright's history records. */
function historyOf(lines: Record<string, number>[], metric: string): EpochRecord[] {
  return lines
    .filter((l) => typeof l.epoch === 'number')
    .map((l) => ({
      epoch: l.epoch,
      loss: l.loss,
      metrics: { [metric]: l[metric] },
      ...(l.val_loss !== undefined
        ? { valLoss: l.val_loss, valMetrics: { [metric]: l[`val_${metric}`] } }
        : {}),
      learningRate: l.learning_rate,
      seconds: l.seconds,
    }));
}

export async function importCheckpoint(
  tf: typeof tfjs,
  req: ImportCheckpointRequest,
): Promise<ImportCheckpointOutcome> {
  const pkg = path.resolve(req.packageDir);
  const name = path.basename(pkg);
  if (!(await isDir(pkg))) throw unreadable(`Cannot find the package folder ${req.packageDir}.`);
  const read = await readProjectFile(path.join(pkg, PACKAGE_META.project));
  if (!read.ok)
    throw unreadable(
      `${name} is not a PyTorch package exported by Netwright (its ${PACKAGE_META.project} is missing or invalid).`,
    );
  const project: Project = read.project;
  const prep = await readJsonFile<Preprocessing>(
    path.join(pkg, PACKAGE_META.preprocessing),
    `${name}/${PACKAGE_META.preprocessing}`,
  );
  const source = await readJsonFile<TorchPackageSource>(
    path.join(pkg, PACKAGE_META.source),
    `${name}/${PACKAGE_META.source}`,
  );
  const config = await readJsonFile<{
    metric: string;
    epochs: number;
    batchSize: number;
    samples?: RunInfo['samples'];
  }>(path.join(pkg, 'config.json'), `${name}/config.json`);
  const checkpoint = await checkpointDir(pkg, req.checkpoint);
  const relCheckpoint = path.relative(pkg, checkpoint) || '.';

  const { model, inspection } = compileGraph(tf, project.graph);
  try {
    const g = torchGraph(inspection);
    const state = stateReader(await weightsDir(checkpoint));
    try {
      setTfjsWeights(tf, g, model, state);
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw invalid(
        `The checkpoint does not fit the project's graph: ${err instanceof Error ? err.message : String(err)}`,
      );
    }

    const lines = await fs
      .readFile(path.join(pkg, 'output', 'metrics.jsonl'), 'utf8')
      .then((t) =>
        t
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, number>),
      )
      .catch(() => []);
    const history = historyOf(lines, config.metric);
    const reported = await fs
      .readFile(path.join(checkpoint, 'metrics.json'), 'utf8')
      .then((t) => JSON.parse(t) as Record<string, number>)
      .catch(() => undefined);

    const projectDir = source.projectPath ? path.dirname(source.projectPath) : process.cwd();
    const dataset = await loadDataset(
      project.data as DataSpec,
      loadContextFor(project, projectDir, source.seed),
    );
    const splits = splitsFor(dataset, project, source.seed);
    const test = splits.test;
    const metrics = await evaluateOnTest(tf, model, prep, test, applyPreprocessing(prep, test).x);

    const runDir = path.resolve(req.outDir);
    const now = new Date().toISOString();
    const info: RunInfo = {
      status: 'complete',
      projectName: project.name,
      projectPath: source.projectPath,
      startedAt: now,
      finishedAt: now,
      backend: {
        id: 'pytorch',
        label: `PyTorch DDP${reported?.world_size ? ` × ${reported.world_size}` : ''} (imported)`,
        reason: `trained by the PyTorch package ${name}, imported from ${relCheckpoint}`,
      },
      seed: source.seed,
      epochs: config.epochs,
      batchSize: config.batchSize,
      epochsRun: history.length,
      samples: config.samples,
    };
    await fs.mkdir(runDir, { recursive: true });
    await writeRunJson(runDir, 'info', { ...info, status: 'incomplete' });
    await writeRunJson(runDir, 'project', project);
    await writeRunJson(runDir, 'preprocessing', prep);
    await writeRunJson(runDir, 'history', history);
    await writeRunJson(
      runDir,
      'split',
      splitRecord(dataset, splits, {
        seed: source.seed,
        testSplit: project.data?.testSplit ?? 0.2,
        validationSplit: project.training?.validationSplit ?? 0,
      }),
    );
    await saveLayersModel(tf, model, path.join(runDir, RUN_FILES.model));
    await writeRunJson(runDir, 'metrics', metrics);
    await writeRunJson(runDir, 'info', info);
    return { runDir, checkpoint: relCheckpoint, metrics, reported, epochsRun: history.length };
  } finally {
    model.dispose();
  }
}
