// The engine side of EngineApi, used in-process by both hosts (server/ and electron/). Methods
// delegate to the engine modules; each area (data, training, export) owns its own module.
import { createHash, randomUUID } from 'node:crypto';
import { promises as fsPromises } from 'node:fs';
import nodePath from 'node:path';
import type { EngineApi, EngineEvent } from './api.ts';
import { EngineError } from './api.ts';
import { layerCatalog } from './layers/catalog.ts';
import { fileErrorSentence, writeProjectFile } from './project/files.ts';
import { openProjectFile } from './project/open-project.ts';
import { projectFromJson } from './project/load.ts';
import { carryWeightsFile } from './weights/weights-file.ts';
import { listExamples, loadExample, refuseSavingOverExample } from './examples.ts';
import { listPretrained } from './weights/pretrained.ts';
import { importToProject } from './import/import-to-project.ts';
import { selectBackend } from './backend.ts';
import { exportModel } from './export/export-model.ts';
import { explainRun } from './explain/explain-run.ts';
import { inspectOffThread, previewDataOffThread } from './off-thread.ts';
import { inspectRequest } from './graph/inspect-request.ts';
import { exportTorchPackage } from './pytorch/package.ts';
import { importCheckpoint } from './pytorch/import-checkpoint.ts';
import { withEngineErrors } from './pytorch/engine-errors.ts';
import {
  discardRecovery,
  listProjectFiles,
  listRecoveries,
  loadRecovery,
  saveRecovery,
  userHome,
} from './project/recovery.ts';
import { startTrainingJob } from './train/jobs.ts';
import { createTrainingQueue, defaultTrainingConcurrency, type AdmittedJob } from './train/admission.ts';
import { defaultRunDir, listRuns, timestampName } from './runs/run-dir.ts';
import { netwrightVersion } from './version.ts';
import { listFolder } from './files/list-folder.ts';
import { testPredictions } from './eval/test-predictions.ts';
import { listUserBlocks, saveUserBlock } from './project/user-blocks.ts';
import { predictFiles } from './eval/predict-files.ts';

export interface EngineOptions {
  /** Folder listProjects() searches and runs without a project file go to (default: the current directory). */
  root?: string;
  /** Trainings that run at once (default: one per core, fewer when memory is short); the rest wait. */
  trainingConcurrency?: number;
  /** Trainings that may wait for a slot before a start is refused (default 16). */
  maxWaitingTrainings?: number;
  /** Folder of the user's saved blocks ("My blocks"); default <user home>/blocks. */
  userBlocksDir?: string;
}

/** What makes two training requests "the same project": its file, or for an unsaved project its content. */
function trainingKey(projectPath: string | undefined, project: unknown): string {
  if (projectPath) return `file:${projectPath}`;
  return `content:${createHash('sha256').update(JSON.stringify(project)).digest('hex')}`;
}

/** Nodes inspected on the caller's thread (500 took 10–90 ms on a 2-core VM at load 20); more go to the work thread. */
const INLINE_INSPECT_NODES = 500;

export function createEngine(options: EngineOptions = {}): EngineApi {
  const listeners = new Set<(e: EngineEvent) => void>();
  const _emit = (e: EngineEvent) => listeners.forEach((l) => l(e));
  const trainingJobs = new Map<string, AdmittedJob>();
  const queue = createTrainingQueue({
    concurrency: options.trainingConcurrency ?? defaultTrainingConcurrency(),
    maxWaiting: options.maxWaitingTrainings ?? 16,
    emit: _emit,
  });
  const jobByProject = new Map<string, string>();
  return {
    version: netwrightVersion,
    async backend() {
      const { id, label, reason } = await selectBackend('auto');
      return { id, label, reason };
    },
    async listLayers() {
      return layerCatalog();
    },
    async inspect(graph) {
      // A graph small enough to check in well under 100 ms is checked here (every canvas edit asks);
      // a bigger one in the work thread, so the host's event loop stays free.
      const nodes = (graph as { nodes?: unknown } | null)?.nodes;
      return Array.isArray(nodes) && nodes.length > INLINE_INSPECT_NODES
        ? inspectOffThread(graph)
        : inspectRequest(graph);
    },
    listExamples,
    loadExample,
    listPretrained,
    openProject: openProjectFile,
    async saveProject(path, project, from) {
      const checked = projectFromJson(project);
      if (!checked.ok) {
        throw new EngineError({
          code: 'invalid',
          message: checked.problems[0].message,
          problems: checked.problems,
        });
      }
      await refuseSavingOverExample(path);
      if (from) await carryWeightsFile(checked.project, from, path);
      try {
        await writeProjectFile(path, checked.project);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (typeof code !== 'string') throw err;
        // A name or path the user can change is invalid input; a full or read-only disk is not.
        const named = ['ENAMETOOLONG', 'ENOTDIR', 'EISDIR', 'ELOOP'].includes(code);
        throw new EngineError({
          code: named ? 'invalid' : 'unavailable',
          message: fileErrorSentence(err, path, 'save'),
        });
      }
    },
    // Off the host's event loop: a large CSV takes seconds to read and profile.
    previewData: previewDataOffThread,
    async startTraining(request) {
      const checked = projectFromJson(request.project);
      if (!checked.ok) {
        throw new EngineError({
          code: 'invalid',
          message: checked.problems[0].message,
          problems: checked.problems,
        });
      }
      // One run per project: a second start (another tab, a reload, a double click) follows the
      // running job instead of writing a second run folder beside it.
      const key = trainingKey(request.projectPath, checked.project);
      const running = jobByProject.get(key);
      if (running && trainingJobs.has(running)) return { jobId: running, attached: true };
      // Training runs in a worker thread so this host's event loop stays free. Without a project
      // file the run goes to <root>/runs/, never to wherever the host process was started.
      const outDir = request.projectPath
        ? undefined
        : nodePath.join(options.root ?? process.cwd(), 'runs', timestampName());
      // Admission control: past the concurrency limit the job waits its turn (train-queued events).
      const jobId = randomUUID();
      const job = queue.submit(jobId, () => {
        const running = startTrainingJob({ ...request, project: checked.project, outDir }, _emit, jobId);
        running.done.catch((err: unknown) =>
          _emit({
            kind: 'train-finished',
            jobId,
            status: 'failed',
            message: err instanceof Error ? err.message : String(err),
          }),
        );
        return running;
      });
      trainingJobs.set(job.jobId, job);
      jobByProject.set(key, job.jobId);
      void job.done.finally(() => {
        trainingJobs.delete(job.jobId);
        if (jobByProject.get(key) === job.jobId) jobByProject.delete(key);
      });
      return { jobId: job.jobId };
    },
    async stopTraining(jobId) {
      // Stopping a job that already finished is not an error. A stopping job is no longer the
      // project's run: a start right after Stop begins a new one.
      trainingJobs.get(jobId)?.cancel();
      for (const [key, id] of jobByProject) if (id === jobId) jobByProject.delete(key);
    },
    async listRuns(projectPath) {
      return listRuns(projectPath);
    },
    async predict(request) {
      return withEngineErrors(() => predictFiles(request));
    },
    async explain(query) {
      return (await explainRun(query)).result;
    },
    testPredictions: (runDir, limit) => testPredictions(runDir, limit),
    listUserBlocks: () => listUserBlocks(options.userBlocksDir ?? nodePath.join(userHome(), 'blocks')),
    saveUserBlock: (block) =>
      saveUserBlock(options.userBlocksDir ?? nodePath.join(userHome(), 'blocks'), block),
    async exportModel(request) {
      const { tf } = await selectBackend('auto');
      return exportModel(tf, request);
    },
    async exportTorchPackage(request) {
      const { tf } = await selectBackend('auto');
      return withEngineErrors(() => exportTorchPackage(tf, request));
    },
    async importModel(request) {
      const { tf } = await selectBackend('auto');
      return importToProject(tf, request.source);
    },
    async importCheckpoint(request) {
      const outDir = request.outDir ?? (request.projectPath ? defaultRunDir(request.projectPath) : undefined);
      if (!outDir)
        throw new EngineError({
          code: 'invalid',
          message: 'Name the run folder to import the checkpoint into.',
        });
      const { tf } = await selectBackend('auto');
      const outcome = await withEngineErrors(() => importCheckpoint(tf, { ...request, outDir }));
      return { ...outcome, metrics: outcome.metrics as unknown as Record<string, unknown> };
    },
    async listFolder(request) {
      const folder = request.folder ?? options.root ?? process.cwd();
      const stat = await fsPromises.stat(folder).catch(() => null);
      if (!stat?.isDirectory())
        throw new EngineError({ code: 'not-found', message: `There is no folder "${folder}".` });
      const { entries, truncated } = await listFolder(folder, request.within);
      return { folder, entries, truncated };
    },
    listProjects: () => listProjectFiles(options.root ?? process.cwd()),
    saveRecovery,
    loadRecovery,
    listRecoveries,
    discardRecovery,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
