// Worker-thread entry for training jobs (started by jobs.ts): runs trainProject off the host's
// event loop and streams its events back, one job at a time, for as long as the host keeps it. A
// "cancel" message for the running job aborts it, which then keeps the best weights so far and
// finishes as "cancelled"; one for a job that already ended is ignored.
import { parentPort } from 'node:worker_threads';
import { trainProject } from './train-project.ts';
import type { WorkerToHost, HostToWorker } from './jobs.ts';

const port = parentPort!;
const post = (m: WorkerToHost) => port.postMessage(m);
let running: { jobId: string; controller: AbortController } | undefined;

port.on('message', (m: HostToWorker) => {
  if (m.type === 'cancel') {
    if (running?.jobId === m.jobId) running.controller.abort();
    return;
  }
  const job = { jobId: m.jobId, controller: new AbortController() };
  running = job;
  trainProject(m.request, {
    jobId: m.jobId,
    signal: job.controller.signal,
    onEvent: (event) => post({ type: 'event', event }),
  })
    .then((outcome) => post({ type: 'done', outcome }))
    .catch((err: unknown) =>
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    )
    .finally(() => {
      if (running === job) running = undefined;
    });
});
