// EngineApi.previewData for the hosts: the preview runs in one long-lived worker thread, so reading
// and profiling a CSV of a million rows never blocks the web server's or Electron's event loop. The
// worker starts on first use, does not keep the process alive, and is replaced if it dies.
import { Worker } from 'node:worker_threads';
import type { DataPreview, EngineErrorData } from '../api.ts';
import { EngineError } from '../api.ts';
import type { ProjectData } from '../project/schema.ts';

export interface PreviewRequest {
  id: number;
  data: ProjectData;
  projectPath?: string;
}

export type PreviewReply =
  | { id: number; preview: DataPreview }
  | { id: number; error: EngineErrorData }
  /** Not a user's problem: the stack, for the host's log. */
  | { id: number; crash: string };

type Pending = { resolve: (p: DataPreview) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
  worker = null;
}

function previewWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./preview-worker-entry.mjs', import.meta.url));
  w.on('message', (reply: PreviewReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if ('preview' in reply) p.resolve(reply.preview);
    else if ('error' in reply) p.reject(new EngineError(reply.error));
    else p.reject(new Error(reply.crash));
  });
  w.on('error', (err) => failAll(err));
  w.on('exit', (code) => failAll(new Error(`The data preview worker stopped (exit code ${code}).`)));
  worker = w;
  return w;
}

export function previewDataOffThread(data: ProjectData, projectPath?: string): Promise<DataPreview> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    const w = previewWorker();
    // Held while a preview is pending, released when idle: an idle worker never keeps the process up.
    w.ref();
    w.postMessage({ id, data, projectPath } satisfies PreviewRequest);
  });
}
