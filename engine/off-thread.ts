// Heavy EngineApi work for the hosts (a data preview, inspecting a huge graph, reading a large
// project) runs in one long-lived worker thread, so the web server's or Electron's event loop keeps
// answering while a million-row CSV is profiled. The `…Json` calls take and give JSON bytes, so a
// multi-MB request is parsed and its answer serialised there too (docs/ARCHITECTURE.md, Decisions). The worker starts on first use, is held only while a call is
// pending (an idle one never keeps the process up), and is replaced if it dies.
import { Worker } from 'node:worker_threads';
import type { DataPreview, EngineErrorData } from './api.ts';
import type { InspectResult } from './graph/inspect.ts';
import { EngineError } from './api.ts';
import type { ProjectData } from './project/schema.ts';

export type OffThreadCall =
  | { method: 'previewData'; data: ProjectData; projectPath?: string }
  | { method: 'inspect'; graph: unknown }
  /** A web-mode request body `{ "args": [graph] }`; the answer is the reply body `{ "result": … }`. */
  | { method: 'inspectJson'; body: Uint8Array }
  /** The reply body `{ "result": project }` of an already confined path. */
  | { method: 'openProjectJson'; path: string };

export interface OffThreadRequest {
  id: number;
  call: OffThreadCall;
}

export type OffThreadReply =
  | { id: number; result: unknown }
  | { id: number; error: EngineErrorData }
  /** Not a user's problem: the stack, for the host's log. */
  | { id: number; crash: string };

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function workThread(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./off-thread-worker-entry.mjs', import.meta.url));
  w.on('message', (reply: OffThreadReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if ('result' in reply) p.resolve(reply.result);
    else if ('error' in reply) p.reject(new EngineError(reply.error));
    else p.reject(new Error(reply.crash));
  });
  w.on('error', (err) => failAll(err));
  w.on('exit', (code) => failAll(new Error(`The engine's work thread stopped (exit code ${code}).`)));
  worker = w;
  return w;
}

function callOffThread(call: OffThreadCall): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    const w = workThread();
    w.ref();
    w.postMessage({ id, call } satisfies OffThreadRequest);
  });
}

export const previewDataOffThread = (data: ProjectData, projectPath?: string): Promise<DataPreview> =>
  callOffThread({ method: 'previewData', data, projectPath }) as Promise<DataPreview>;

export const inspectOffThread = (graph: unknown): Promise<InspectResult> =>
  callOffThread({ method: 'inspect', graph }) as Promise<InspectResult>;

export const inspectJsonOffThread = (body: Uint8Array): Promise<Uint8Array> =>
  callOffThread({ method: 'inspectJson', body }) as Promise<Uint8Array>;

export const openProjectJsonOffThread = (path: string): Promise<Uint8Array> =>
  callOffThread({ method: 'openProjectJson', path }) as Promise<Uint8Array>;
