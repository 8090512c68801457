// Open a saved run folder: its record, the exact project, the fitted preprocessing and the model.
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing } from '../data/types.ts';
import { loadLayersModel } from '../io/tfjs-files.ts';
import { projectFromJson } from '../project/load.ts';
import type { Project } from '../project/schema.ts';
import { assertRunDir, readRunFile, readRunInfo, RUN_FILES, RunReadError, type RunInfo } from './run-dir.ts';

export interface OpenedRun {
  dir: string;
  info: RunInfo;
  project: Project;
  prep: Preprocessing;
  /** Folder the project's relative data paths resolve against. */
  projectDir: string;
}

export async function openRun(dir: string): Promise<OpenedRun> {
  await assertRunDir(dir);
  const info = await readRunInfo(dir);
  const parsed = projectFromJson(await readRunFile<unknown>(dir, 'project'));
  if (!parsed.ok)
    throw new RunReadError(
      `${path.join(dir, RUN_FILES.project)} is not a valid project: ${parsed.problems[0].message}`,
    );
  return openRunWith(dir, info, parsed.project);
}

/**
 * The rest of a run whose project the caller has already read (export reads it first, with its own
 * messages): run.json and the preprocessing, each read once.
 */
export async function openRunOf(dir: string, project: Project): Promise<OpenedRun> {
  return openRunWith(dir, await readRunInfo(dir), project);
}

async function openRunWith(dir: string, info: RunInfo, project: Project): Promise<OpenedRun> {
  let prep: Preprocessing;
  try {
    prep = await readRunFile<Preprocessing>(dir, 'preprocessing');
  } catch {
    throw new RunReadError(
      `${dir} has no ${RUN_FILES.preprocessing}; the run ${info.status === 'failed' ? 'failed' : 'stopped'} before its data was prepared.`,
    );
  }
  const projectDir = info.projectPath ? path.dirname(info.projectPath) : process.cwd();
  return { dir, info, project, prep, projectDir };
}

export async function loadRunModel(tf: typeof tfjs, run: OpenedRun): Promise<tfjs.LayersModel> {
  try {
    return await loadLayersModel(tf, path.join(run.dir, RUN_FILES.model));
  } catch {
    throw new RunReadError(
      `${run.dir} has no readable model (${RUN_FILES.model}/model.json); the run ${run.info.status === 'complete' ? 'is damaged' : `is ${run.info.status}`}.`,
    );
  }
}
