// The run folder (docs/ARCHITECTURE.md, "CLI"): model/ (tfjs layers format), metrics.json, history.json,
// project.netwright.json, preprocessing.json and run.json. run.json is written "incomplete" first
// and finalised last, every file atomically, so a killed process leaves a folder that says so.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { processAlive, writeFileAtomic } from '../project/files.ts';
import type { RunSummary } from '../api.ts';

export type RunStatus = 'incomplete' | 'complete' | 'cancelled' | 'failed';

export interface RunInfo {
  status: RunStatus;
  projectName: string;
  /** The project file trained, when there was one. */
  projectPath?: string;
  startedAt: string;
  finishedAt?: string;
  backend?: { id: string; label: string; reason: string };
  seed: number;
  epochs: number;
  batchSize: number;
  epochsRun?: number;
  bestEpoch?: number | null;
  /** The quantity "best" refers to (loss, val_loss, …). */
  monitor?: string;
  stoppedEarly?: boolean;
  restoredBestWeights?: boolean;
  samples?: { train: number; validation: number; test: number };
  timings?: { loadSec?: number; trainSec?: number; evaluateSec?: number; totalSec?: number };
  /** Set when status is "failed": one plain sentence. */
  message?: string;
  /** What loading the data found (blanks filled, rows or columns left out, synthetic data), and memory notes. */
  warnings?: string[];
}

export const RUN_FILES = {
  info: 'run.json',
  metrics: 'metrics.json',
  history: 'history.json',
  project: 'project.netwright.json',
  preprocessing: 'preprocessing.json',
  split: 'split.json',
  model: 'model',
} as const;

export const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export async function writeRunJson(
  dir: string,
  name: keyof Omit<typeof RUN_FILES, 'model'>,
  value: unknown,
): Promise<void> {
  // No .bak: every version but the last is this run's own work in progress ("incomplete").
  await writeFileAtomic(path.join(dir, RUN_FILES[name]), json(value), { backup: false });
}

/**
 * Create the run folder with its first run.json in one step: the folder is filled under a hidden
 * temp name beside it and renamed into place, so a process killed mid-write never leaves a run
 * folder without run.json. A folder that already exists (`--out` naming one) gets run.json written
 * into it atomically instead.
 */
export async function createRunDir(dir: string, info: RunInfo): Promise<void> {
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  await removeOrphanStaging(parent);
  const exists = await fs.stat(dir).then(
    () => true,
    () => false,
  );
  if (exists) return writeRunJson(dir, 'info', info);
  const staging = path.join(
    parent,
    `.${path.basename(dir)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  await fs.mkdir(staging);
  try {
    await writeRunJson(staging, 'info', info);
    await fs.rename(staging, dir);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    // Someone created the folder meanwhile: write into it as into any existing one.
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') return writeRunJson(dir, 'info', info);
    throw err;
  }
}

/** Staging folders of createRunDir whose process is gone (it was killed before the rename). */
async function removeOrphanStaging(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    const full = path.join(parent, name);
    const isDir = await fs.stat(full).then(
      (st) => st.isDirectory(),
      () => false,
    );
    if (isDir) await fs.rm(full, { recursive: true, force: true });
  }
}

/** A folder name that sorts by time and is valid on every file system. */
export function timestampName(date = new Date()): string {
  return date.toISOString().replace(/:/g, '-').replace(/\./, '-');
}

/** `<project folder>/runs/<timestamp>` — where runs go when the caller names no folder. */
export function defaultRunDir(projectPath: string, date = new Date()): string {
  return path.join(path.dirname(path.resolve(projectPath)), 'runs', timestampName(date));
}

export class RunReadError extends Error {}

async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunReadError(
      code === 'ENOENT' ? `Cannot find ${file}.` : `Cannot read ${file} (${code ?? String(err)}).`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new RunReadError(`${file} is not valid JSON.`);
  }
}

export async function readRunInfo(dir: string): Promise<RunInfo> {
  return readJson<RunInfo>(path.join(dir, RUN_FILES.info));
}

export async function readRunFile<T>(dir: string, name: keyof Omit<typeof RUN_FILES, 'model'>): Promise<T> {
  return readJson<T>(path.join(dir, RUN_FILES[name]));
}

/** Is `dir` a run folder at all? Gives one sentence when it is not. */
export async function assertRunDir(dir: string): Promise<void> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory())
      throw new RunReadError(`${dir} is a file; give the run folder that \`netwright train --out\` wrote.`);
  } catch (err) {
    if (err instanceof RunReadError) throw err;
    throw new RunReadError(`Cannot find the run folder ${dir}.`);
  }
  try {
    await fs.access(path.join(dir, RUN_FILES.info));
  } catch {
    throw new RunReadError(`${dir} is not a run folder (it has no ${RUN_FILES.info}).`);
  }
}

const realOrResolved = (p: string) => fs.realpath(p).catch(() => path.resolve(p));

/** The per-epoch (and per-batch) losses of a run, or none when history.json is missing or unreadable. */
async function lossCurve(dir: string): Promise<RunSummary['curve']> {
  try {
    const history = await readRunFile<
      { epoch: number; loss: number; valLoss?: number; batchLosses?: unknown }[]
    >(dir, 'history');
    return history.map(({ epoch, loss, valLoss, batchLosses }) => ({
      epoch,
      loss,
      ...(valLoss !== undefined ? { valLoss } : {}),
      ...(Array.isArray(batchLosses) && batchLosses.every((v) => typeof v === 'number')
        ? { batchLosses: batchLosses as number[] }
        : {}),
    }));
  } catch {
    return [];
  }
}

/**
 * Runs in a project's folder, newest first: the folders under `<project folder>/runs/` that hold a
 * run.json. Other projects saved in the same folder share it; `ofThisProject` tells them apart.
 */
export async function listRuns(projectPath: string): Promise<RunSummary[]> {
  const root = path.join(path.dirname(path.resolve(projectPath)), 'runs');
  const thisProject = await realOrResolved(projectPath);
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return [];
  }
  const runs: RunSummary[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue; // a run still being created (createRunDir)
    const dir = path.join(root, name);
    let info: RunInfo;
    try {
      info = await readRunInfo(dir);
    } catch {
      continue;
    }
    let metrics: Record<string, unknown> = {};
    try {
      metrics = await readRunFile<Record<string, unknown>>(dir, 'metrics');
    } catch {
      // A run that was cancelled before evaluation or failed has no metrics.
    }
    runs.push({
      runDir: dir,
      startedAt: info.startedAt,
      status: info.status,
      backend: info.backend?.label ?? 'unknown',
      metrics,
      ofThisProject:
        info.projectPath !== undefined && (await realOrResolved(info.projectPath)) === thisProject,
      projectName: info.projectName,
      settings: {
        epochs: info.epochs,
        batchSize: info.batchSize,
        seed: info.seed,
        ...(info.epochsRun !== undefined ? { epochsRun: info.epochsRun } : {}),
      },
      curve: await lossCurve(dir),
    });
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
