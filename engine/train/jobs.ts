// Training jobs off the caller's event loop: each job runs trainProject in a worker thread, so the
// web server and Electron's main process stay responsive while a model trains. Events arrive as
// they happen; cancel() asks the worker to stop after its current batch (best weights are kept).
// A worker whose job ended cleanly waits for the next job (its modules loaded, its backend compiled,
// V8's code optimised, its data-parallel replica parked with it), so training again starts in
// milliseconds instead of seconds (docs/ARCHITECTURE.md, "Training jobs").
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { EngineEvent } from '../api.ts';
import type { TrainJobRequest, TrainOutcome } from './train-project.ts';
import { WorkerSlot } from './worker-slot.ts';

export type HostToWorker =
  { type: 'run'; request: TrainJobRequest; jobId: string } | { type: 'cancel'; jobId: string };
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

/** How long a finished job's worker waits for the next job before it ends. */
const IDLE_MS = 60_000;
const idle = new WorkerSlot(IDLE_MS);
let started = 0;

/** Training worker threads started so far (tests: whether a job reused one). */
export const trainingWorkersStarted = () => started;

function takeWorker(): Worker {
  const parked = idle.take();
  if (parked) return parked;
  started++;
  // worker-entry.mjs registers tsx in the worker thread, then loads worker.ts.
  return new Worker(new URL('./worker-entry.mjs', import.meta.url));
}

export function startTrainingJob(
  request: TrainJobRequest,
  onEvent: (e: EngineEvent) => void,
  jobId: string = randomUUID(),
): TrainingJob {
  const worker = takeWorker();
  const done = new Promise<TrainOutcome>((resolve, reject) => {
    const settle = (outcome: TrainOutcome | Error) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // Only a worker whose job ended as planned is trusted with the next one; a failed run may
      // have left tensors or scopes behind.
      if (outcome instanceof Error) {
        void worker.terminate();
        reject(outcome);
        return;
      }
      if (outcome.status === 'failed') void worker.terminate();
      else idle.park(worker);
      resolve(outcome);
    };
    const onMessage = (m: WorkerToHost) => {
      if (m.type === 'event') onEvent(m.event);
      else if (m.type === 'done') settle(m.outcome);
      else settle(new Error(m.message));
    };
    const onError = (err: Error) => settle(err);
    const onExit = (code: number) =>
      settle(new Error(`The training worker stopped unexpectedly (exit code ${code}).`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
  worker.postMessage({ type: 'run', request, jobId } satisfies HostToWorker);
  return {
    jobId,
    cancel: () => worker.postMessage({ type: 'cancel', jobId } satisfies HostToWorker),
    done,
  };
}
