// Worker-thread entry for a training job (started by jobs.ts): runs trainProject off the host's
// event loop and streams its events back. A "cancel" message aborts the run, which then keeps the
// best weights so far and finishes as "cancelled".
import { parentPort, workerData } from 'node:worker_threads';
import { trainProject, type TrainJobRequest } from './train-project.ts';
import type { WorkerToHost, HostToWorker } from './jobs.ts';

const port = parentPort!;
const { request, jobId } = workerData as { request: TrainJobRequest; jobId: string };
const controller = new AbortController();
port.on('message', (m: HostToWorker) => {
  if (m.type === 'cancel') controller.abort();
});
const post = (m: WorkerToHost) => port.postMessage(m);

trainProject(request, {
  jobId,
  signal: controller.signal,
  onEvent: (event) => post({ type: 'event', event }),
})
  .then((outcome) => post({ type: 'done', outcome }))
  .catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }))
  .finally(() => port.close());
