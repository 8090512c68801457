// Admission control for training jobs (docs/SECURITY.md): at most `concurrency` run at once, the
// rest wait in order and hear their place ("queued, position N"); past `maxWaiting` a start is
// refused with a sentence saying why. A waiting job can be cancelled without ever starting.
import os from 'node:os';
import { EngineError, type EngineEvent } from '../api.ts';

/** What a running job offers the queue (jobs.ts TrainingJob is one). */
export interface RunningJob {
  cancel(): void;
  done: Promise<unknown>;
}

export interface AdmittedJob {
  jobId: string;
  cancel(): void;
  /** Settles when the job has finished running, or was cancelled while waiting. */
  done: Promise<void>;
}

/** Bytes a training job is allowed for when sizing the default concurrency. */
const MEMORY_PER_JOB = 2 * 1024 ** 3;

/** One job per core, fewer when memory would not hold them (2 GiB each); at least one. */
export function defaultTrainingConcurrency(): number {
  return Math.max(1, Math.min(os.availableParallelism(), Math.floor(os.totalmem() / MEMORY_PER_JOB)));
}

export interface TrainingQueue {
  submit(jobId: string, start: () => RunningJob): AdmittedJob;
  readonly running: number;
  readonly waiting: number;
}

export function createTrainingQueue(options: {
  concurrency: number;
  maxWaiting: number;
  emit: (e: EngineEvent) => void;
}): TrainingQueue {
  const { concurrency, maxWaiting, emit } = options;
  let running = 0;
  const waiting: { jobId: string; launch: () => void; drop: () => void }[] = [];

  const announce = () =>
    waiting.forEach((w, i) =>
      emit({ kind: 'train-queued', jobId: w.jobId, position: i + 1, running, concurrency }),
    );
  const next = () => {
    while (running < concurrency && waiting.length) waiting.shift()!.launch();
    announce();
  };

  return {
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    submit(jobId, start) {
      if (running >= concurrency && waiting.length >= maxWaiting) {
        throw new EngineError({
          code: 'unavailable',
          message: `${waiting.length} training${waiting.length === 1 ? ' is' : 's are'} already waiting for the ${concurrency} that run${concurrency === 1 ? 's' : ''} at a time; start this one when one of them has finished.`,
        });
      }
      let job: RunningJob | null = null;
      let cancelledWhileWaiting = false;
      let settle!: () => void;
      const done = new Promise<void>((resolve) => (settle = resolve));
      const launch = () => {
        running++;
        job = start();
        job.done
          .then(
            () => undefined,
            () => undefined,
          )
          .finally(() => {
            running--;
            settle();
            next();
          });
      };
      const entry = {
        jobId,
        launch,
        drop: () => {
          cancelledWhileWaiting = true;
          waiting.splice(waiting.indexOf(entry), 1);
          emit({
            kind: 'train-finished',
            jobId,
            status: 'cancelled',
            message: 'Stopped while waiting for its turn; nothing was trained.',
          });
          settle();
          announce();
        },
      };
      if (running < concurrency) launch();
      else {
        waiting.push(entry);
        announce();
      }
      return {
        jobId,
        cancel: () => {
          if (job) job.cancel();
          else if (!cancelledWhileWaiting) entry.drop();
        },
        done,
      };
    },
  };
}
