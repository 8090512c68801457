// One training run of a project, end to end: backend, data, splits, preprocessing fitted on the
// training rows, seeded model, the training loop, test metrics, and the run folder (docs/ARCHITECTURE.md, "CLI").
// Used in-process by the CLI and inside a worker thread by jobs.ts (the hosts' path).
import path from 'node:path';
import type { EngineEvent, TrainProgress, TrainRequest } from '../api.ts';
import { selectBackend } from '../backend.ts';
import { availableTrainingMemory, estimateTrainingMemory, memoryWarning } from './memory-estimate.ts';
import { CompileError } from '../compile/tfjs-model.ts';
import {
  loadContextFor,
  loadProjectDataset,
  prepareSplits,
  splitsFor,
  type PreparedSplits,
} from './data-context.ts';
import { DataError, type DataSpec } from '../data/types.ts';
import { evaluateOnTest, type TestMetrics } from '../eval/evaluate.ts';
import { saveLayersModel } from '../io/tfjs-files.ts';
import { splitRecord, type SplitRecord } from '../runs/split-record.ts';
import type { Project } from '../project/schema.ts';
import {
  createRunDir,
  defaultRunDir,
  RUN_FILES,
  timestampName,
  writeRunJson,
  type RunInfo,
} from '../runs/run-dir.ts';
import {
  projectAsTrained,
  resolveTrainingSettings,
  TrainingConfigError,
  type TrainingSettings,
} from './config.ts';
import { compileForTraining } from './trainable-model.ts';
import { startWeightsOf } from '../weights/start-weights.ts';
import { EngineError } from '../api.ts';
import {
  isRowSource,
  trainLoop,
  type EpochRecord,
  type LoopProgress,
  type LoopSplit,
  type RowSource,
} from './loop.ts';
import { prepareStreamedImages } from './streamed-images.ts';
import { streamedImageFolder } from '../data/stream/image-folder.ts';
import { prepareStreamedTraining } from './streamed-data.ts';
import { streamedCsvFile } from '../data/stream/streamed-source.ts';
import { explainTrainingError, TrainingFailure } from './failure-diagnosis.ts';
import { timeTrainingSteps } from './step-timer.ts';
import { takeDeviceError } from '../backends/webgpu-errors.ts';
import { labelWithThreads, planDataParallel } from './parallel/plan.ts';

export interface TrainJobRequest extends TrainRequest {
  /** The run folder; default `<project folder>/runs/<timestamp>` (or ./runs/<timestamp> without a project path). */
  outDir?: string;
}

/** What went wrong, for exit codes: the user's input is invalid, unreadable, or it is our fault. */
export type FailureKind = 'invalid' | 'unreadable' | 'internal';

export interface TrainOutcome {
  status: 'complete' | 'cancelled' | 'failed';
  runDir: string;
  metrics?: TestMetrics;
  history: EpochRecord[];
  message?: string;
  failure?: FailureKind;
  backend?: { id: string; label: string; reason: string };
  info: RunInfo;
}

export interface TrainHooks {
  jobId?: string;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
}

/** Seconds between checkpoints of the best weights while training (the final save always happens). */
const CHECKPOINT_EVERY_SEC = 5;

export async function trainProject(req: TrainJobRequest, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const jobId = hooks.jobId ?? 'local';
  const emit = hooks.onEvent ?? (() => {});
  const t0 = performance.now();
  const sec = (from: number) => Math.round((performance.now() - from) / 10) / 100;
  const runDir = path.resolve(
    req.outDir ?? (req.projectPath ? defaultRunDir(req.projectPath) : path.join('runs', timestampName())),
  );
  const project = req.project;
  const info: RunInfo = {
    status: 'incomplete',
    projectName: project.name,
    projectPath: req.projectPath ? path.resolve(req.projectPath) : undefined,
    startedAt: new Date().toISOString(),
    seed: req.seed ?? project.training?.seed ?? 42,
    epochs: req.epochs ?? project.training?.epochs ?? 20,
    batchSize: req.batchSize ?? project.training?.batchSize ?? 32,
    timings: {},
  };
  let history: EpochRecord[] = [];
  let disposeData: (() => Promise<void>) | undefined;
  let backendSummary: TrainOutcome['backend'];

  const finish = async (
    status: TrainOutcome['status'],
    extra: { message?: string; failure?: FailureKind; metrics?: TestMetrics } = {},
  ): Promise<TrainOutcome> => {
    info.status = status;
    info.finishedAt = new Date().toISOString();
    info.timings = { ...info.timings, totalSec: sec(t0) };
    if (extra.message) info.message = extra.message;
    await writeRunJson(runDir, 'history', history);
    await writeRunJson(runDir, 'info', info);
    emit({
      kind: 'train-finished',
      jobId,
      status,
      runDir,
      metrics: extra.metrics as Record<string, unknown> | undefined,
      message: extra.message,
    });
    return { status, runDir, history, backend: backendSummary, info, ...extra };
  };

  try {
    const settings = resolveTrainingSettings(project, {
      epochs: req.epochs,
      batchSize: req.batchSize,
      seed: req.seed,
    });
    Object.assign(info, { seed: settings.seed, epochs: settings.epochs, batchSize: settings.batchSize });
    await createRunDir(runDir, info);
    await writeRunJson(runDir, 'project', projectAsTrained(project, settings));

    // `auto` with a hardware GPU times this model on it and on the CPU rung, and keeps the faster.
    const backend = await selectBackend(req.backend ?? 'auto', {
      timeStep: (t) =>
        timeTrainingSteps(t, {
          graph: project.graph,
          batchSize: settings.batchSize,
          seed: settings.seed,
          optimizer: settings.optimizer,
        }),
    });
    const tf = backend.tf;
    if (backend.id === 'webgpu') takeDeviceError(); // left by the step timing, not by this run
    // Replicas rebuild the model from its saved topology, which cannot carry a frozen layer's
    // inference-mode override, so graphs with frozen nodes train on one thread.
    const hasFrozen = project.graph.nodes.some((n) => n.trainable === false);
    const parallel = planDataParallel({
      backendId: backend.id,
      batchSize: settings.batchSize,
      layerTypes: project.graph.nodes.map((n) => n.type),
      enabled: hasFrozen ? false : settings.dataParallel,
    });
    backendSummary = {
      id: backend.id,
      label: labelWithThreads(backend.label, parallel.threads),
      reason: parallel.threads > 1 ? `${backend.reason}; ${parallel.reason}` : backend.reason,
    };
    info.backend = backendSummary;
    const memory = memoryWarning(
      estimateTrainingMemory(project.graph, settings.batchSize, settings.optimizer.type),
      availableTrainingMemory(backend.id),
    );
    emit({ kind: 'train-started', jobId, backend: backendSummary, runDir, warnings: memory ? [memory] : [] });

    // The model first: a graph error should not wait for a dataset to load.
    const start = await startWeightsOf(project, req.projectPath);
    const { model, loss } = compileForTraining(tf, project.graph, settings.seed, start);

    const loadStart = performance.now();
    const data = await prepareData(project, req, settings, runDir, hooks.signal);
    disposeData = data.dispose;
    const { prep, train, validation, test, testX, warnings, split } = data;
    info.warnings = [...(memory ? [memory] : []), ...warnings];
    if (warnings.length) emit({ kind: 'train-warnings', jobId, warnings });
    info.samples = {
      train: isRowSource(train) ? train.samples : train.y.shape[0],
      validation: validation?.y.shape[0] ?? 0,
      test: test.y.shape[0],
    };
    info.timings!.loadSec = sec(loadStart);
    await writeRunJson(runDir, 'preprocessing', prep);
    await writeRunJson(runDir, 'split', split);
    await writeRunJson(runDir, 'info', info);

    const trainStart = performance.now();
    const result = await trainLoop({
      tf,
      model,
      loss,
      train,
      validation,
      optimizer: settings.optimizer,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      seed: settings.seed,
      earlyStopping: settings.earlyStopping,
      lrSchedule: settings.lrSchedule,
      dataParallel: parallel.threads > 1,
      takeDeviceError: backend.id === 'webgpu' ? takeDeviceError : undefined,
      signal: hooks.signal,
      onProgress: (p) => emit({ kind: 'train-progress', progress: toProgress(jobId, p) }),
      // The first best is on disk at once; later ones at most every few seconds, none dropped.
      bestWeightsEveryMs: CHECKPOINT_EVERY_SEC * 1000,
      onBestWeights: async () => {
        await saveLayersModel(tf, model, path.join(runDir, RUN_FILES.model));
      },
    }).catch((err: unknown) => {
      throw explainTrainingError(tf, model, firstSamples(train), err);
    });
    history = result.history;
    if (result.threads !== parallel.threads) {
      backendSummary = {
        ...backendSummary,
        label: labelWithThreads(backend.label, result.threads),
        reason: `${backend.reason}; ${result.threadsReason}`,
      };
      info.backend = backendSummary;
    }
    Object.assign(info, {
      epochsRun: result.history.length,
      bestEpoch: result.bestEpoch,
      monitor: result.monitor,
      stoppedEarly: result.stoppedEarly,
      restoredBestWeights: result.restoredBestWeights,
    });
    info.timings!.trainSec = sec(trainStart);

    if (result.history.length === 0 && result.status !== 'complete') {
      // Nothing learned worth keeping: no model, no metrics.
      model.dispose();
      return await finish(result.status, {
        message: result.message,
        failure: result.status === 'failed' ? 'invalid' : undefined,
      });
    }
    await saveLayersModel(tf, model, path.join(runDir, RUN_FILES.model));
    const evalStart = performance.now();
    const metrics = await evaluateOnTest(tf, model, prep, test, testX);
    info.timings!.evaluateSec = sec(evalStart);
    await writeRunJson(runDir, 'metrics', { ...metrics, warnings });
    model.dispose();
    return await finish(result.status, {
      message: result.message,
      failure: result.status === 'failed' ? 'invalid' : undefined,
      metrics,
    });
  } catch (err) {
    // Stopped while a streamed CSV was still loading: a cancelled run, like one stopped before its first batch.
    if (hooks.signal?.aborted && history.length === 0) return await finish('cancelled');
    const { message, failure } = describeFailure(err);
    try {
      return await finish('failed', { message, failure });
    } catch {
      // The run folder itself could not be written (read-only disk…): report the first problem.
      emit({ kind: 'train-finished', jobId, status: 'failed', runDir, message });
      return {
        status: 'failed',
        runDir,
        history,
        message,
        failure,
        info: { ...info, status: 'failed', message },
      };
    }
  } finally {
    await disposeData?.();
  }
}

type PreparedData = Omit<PreparedSplits, 'train'> & {
  train: LoopSplit | RowSource;
  warnings: string[];
  split: SplitRecord | Record<string, unknown>;
  /** Frees what the data holds outside memory (a streamed CSV's cache in the run folder). */
  dispose?: () => Promise<void>;
};

async function prepareData(
  project: Project,
  req: TrainJobRequest,
  s: TrainingSettings,
  runDir: string,
  signal?: AbortSignal,
): Promise<PreparedData> {
  if (project.data) {
    const projectDir = req.projectPath ? path.dirname(path.resolve(req.projectPath)) : process.cwd();
    const ctx = loadContextFor(project, projectDir, s.seed);
    const file = await streamedCsvFile(project.data as DataSpec, projectDir, ctx.inputShapes.length);
    if (file) return prepareStreamedTraining(project, file, ctx, runDir, signal);
    const images = await streamedImageFolder(project.data as DataSpec, projectDir, ctx.inputShapes);
    if (images) return prepareStreamedImages(project, images, ctx, signal);
  }
  const dataset = await loadProjectDataset(project, req.projectPath, s.seed);
  const splits = splitsFor(dataset, project, s.seed);
  return {
    ...prepareSplits(splits, project.data as DataSpec),
    warnings: dataset.warnings,
    split: splitRecord(dataset, splits, {
      seed: s.seed,
      testSplit: project.data?.testSplit ?? 0.2,
      validationSplit: project.training?.validationSplit ?? 0,
    }),
  };
}

/** The first few training samples, for explaining a failure. */
function firstSamples(train: LoopSplit | RowSource): LoopSplit['x'] {
  if (!isRowSource(train)) return train.x;
  const n = Math.min(8, train.samples);
  const { x } = train.take(Int32Array.from({ length: n }, (_, i) => i));
  return [{ data: x, shape: [n, ...train.xShape] }];
}

function toProgress(jobId: string, p: LoopProgress): TrainProgress {
  return { jobId, ...p };
}

/** One sentence for the user, and whose problem it is. */
export function describeFailure(err: unknown): { message: string; failure: FailureKind } {
  if (err instanceof DataError) return { message: err.message, failure: err.kind };
  if (err instanceof CompileError || err instanceof TrainingConfigError || err instanceof TrainingFailure)
    return { message: err.message, failure: 'invalid' };
  if (err instanceof EngineError)
    return { message: err.message, failure: err.data.code === 'invalid' ? 'invalid' : 'unreadable' };
  const msg = err instanceof Error ? err.message : String(err);
  if (/backend unavailable/i.test(msg)) return { message: msg, failure: 'invalid' };
  return { message: `Training failed: ${msg.split('\n')[0]}`, failure: 'internal' };
}
