// Shared set-up for the desktop app's tests: the real IPC handlers over the real engine running in
// a worker thread (as in the app). Only the OS dialogs are stand-ins: they cannot exist without a
// display and an Electron binary; each returns the path the test chose, as a user would.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAccessPolicy } from '../../electron/access.ts';
import { createWorkerEngine, type WorkerEngine } from '../../electron/engine-proxy.ts';
import { createIpcHandlers, type DocumentState, type IpcHandlers } from '../../electron/ipc.ts';
import type { BridgeEvent } from '../../electron/channels.ts';
import { APP_ENTRY, isTrustedFrame } from '../../electron/window-options.ts';

export const REPO = path.resolve(__dirname, '../..');
export const EXAMPLE = path.join(REPO, 'resources/examples/iris-mlp.netwright.json');
export const TRUSTED = { senderFrame: { url: APP_ENTRY, parent: null } };

export interface Harness {
  tmp: string;
  workspace: string;
  engine: WorkerEngine;
  handlers: IpcHandlers;
  events: BridgeEvent[];
  documents: DocumentState[];
  /** What the next dialog "chooses". */
  nextDialogPath: { value: string | null };
  call(method: string, args?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-electron-'));
  process.env.NETWRIGHT_HOME = path.join(tmp, 'home');
  const workspace = path.join(tmp, 'Netwright');
  const access = await createAccessPolicy(workspace);
  const engine = createWorkerEngine(new URL('../../electron/engine-worker-dev.mjs', import.meta.url), {
    env: { ...process.env, NETWRIGHT_WORKSPACE: workspace },
  });
  const nextDialogPath = { value: null as string | null };
  const documents: DocumentState[] = [];
  const handlers = createIpcHandlers(engine, {
    access,
    isTrustedSender: isTrustedFrame,
    onDocument: (d) => documents.push(d),
    dialogs: {
      openProject: async () => nextDialogPath.value,
      saveProject: async () => nextDialogPath.value,
      exportModel: async () => nextDialogPath.value,
    },
  });
  const events: BridgeEvent[] = [];
  const unsubscribe = handlers.subscribe((e) => events.push(e));
  return {
    tmp,
    workspace: access.defaultDir,
    engine,
    handlers,
    events,
    documents,
    nextDialogPath,
    async call(method, args = []) {
      const reply = await handlers.invoke(TRUSTED, method, args);
      if (!reply.ok) throw new Error(JSON.stringify(reply.error));
      return reply.result;
    },
    async close() {
      unsubscribe();
      await engine.close();
      await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}
