// Training jobs off the caller's event loop: each job runs trainProject in a worker thread, so the
// web server and Electron's main process stay responsive while a model trains. Events arrive as
// they happen; cancel() asks the worker to stop after its current batch (best weights are kept).
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { EngineEvent } from '../api.ts';
import type { TrainJobRequest, TrainOutcome } from './train-project.ts';

export type HostToWorker = { type: 'cancel' };
export type WorkerToHost =
  | { type: 'event'; event: EngineEvent }
  | { type: 'done'; outcome: TrainOutcome }
  | { type: 'error'; message: string };

export interface TrainingJob {
  jobId: string;
  /** Ask the job to stop; `done` then resolves with status "cancelled". */
  cancel(): void;
  done: Promise<TrainOutcome>;
}

export function startTrainingJob(
  request: TrainJobRequest,
  onEvent: (e: EngineEvent) => void,
  jobId: string = randomUUID(),
): TrainingJob {
  // worker-entry.mjs registers tsx in the worker thread, then loads worker.ts.
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
    workerData: { request, jobId },
  });
  let settled = false;
  const done = new Promise<TrainOutcome>((resolve, reject) => {
    worker.on('message', (m: WorkerToHost) => {
      if (m.type === 'event') onEvent(m.event);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.outcome);
      } else {
        settled = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`The training worker stopped unexpectedly (exit code ${code}).`));
    });
  });
  return {
    jobId,
    cancel: () => worker.postMessage({ type: 'cancel' } satisfies HostToWorker),
    done,
  };
}
