// The engine in its own thread: the desktop app's main process forwards EngineApi calls here, so
// training, export and any long computation never block the window's event loop.
import { parentPort } from 'node:worker_threads';
import { EngineError } from '../engine/api.ts';
import { createEngine } from '../engine/service.ts';
import { toErrorData } from '../engine/api-methods.ts';
import type { WorkerReply, WorkerRequest } from './engine-proxy.ts';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread.');
const engine = createEngine({
  root: process.env.NETWRIGHT_WORKSPACE || process.cwd(),
  // The desktop app keeps the user's saved blocks in its userData folder (set by main.ts).
  userBlocksDir: process.env.NETWRIGHT_USER_BLOCKS || undefined,
});
engine.subscribe((event) => port.postMessage({ type: 'event', event } satisfies WorkerReply));

port.on('message', (msg: WorkerRequest) => {
  const method = engine[msg.method] as (...args: unknown[]) => Promise<unknown>;
  Promise.resolve()
    .then(() => method(...msg.args))
    .then(
      (result) => port.postMessage({ type: 'result', id: msg.id, ok: true, result } satisfies WorkerReply),
      (err: unknown) => {
        const error = toErrorData(err, 'the log');
        if (!(err instanceof EngineError)) console.error(`netwright engine: ${msg.method} failed:`, err);
        port.postMessage({ type: 'result', id: msg.id, ok: false, error } satisfies WorkerReply);
      },
    );
});
