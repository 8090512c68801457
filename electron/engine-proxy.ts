// EngineApi implemented by calls to the engine running in a worker thread (electron/engine-worker.ts).
// If the worker dies, pending calls fail with one sentence and the next call starts a fresh worker.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { EngineApi, EngineErrorData, EngineEvent } from '../engine/api.ts';
import { EngineError } from '../engine/api.ts';
import { METHOD_ARGS, type CallableMethod } from '../engine/api-methods.ts';

export type WorkerRequest = { id: number; method: CallableMethod; args: unknown[] };
export type WorkerReply =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: EngineErrorData }
  | { type: 'event'; event: EngineEvent };

export interface WorkerEngine extends EngineApi {
  /** Stop the worker thread. */
  close(): Promise<void>;
}

/** The methods a host may call; METHOD_ARGS lists exactly the EngineApi's (it is checked against it). */
const METHODS = Object.keys(METHOD_ARGS) as CallableMethod[];

/** `script` is the worker entry (the built engine-worker.cjs, or engine-worker.ts with tsx in execArgv). */
export function createWorkerEngine(script: URL | string, options: WorkerOptions = {}): WorkerEngine {
  const listeners = new Set<(e: EngineEvent) => void>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let worker: Worker | null = null;
  let nextId = 1;

  const start = (): Worker => {
    const w = new Worker(script, options);
    w.on('message', (msg: WorkerReply) => {
      if (msg.type === 'event') {
        listeners.forEach((l) => l(msg.event));
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new EngineError(msg.error));
    });
    const fail = (why: string) => {
      if (worker === w) worker = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(
          new EngineError({
            code: 'internal',
            message: `The engine stopped unexpectedly (${why}); try again.`,
          }),
        );
      }
    };
    w.on('error', (err) => fail(err.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    return w;
  };

  const call = (method: CallableMethod, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WorkerRequest);
    });

  const api = Object.fromEntries(
    METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)]),
  ) as unknown as Omit<EngineApi, 'subscribe'>;
  return {
    ...api,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
