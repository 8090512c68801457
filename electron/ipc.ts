// The desktop app's IPC handlers: the EngineApi (and a few desktop-only calls) for the renderer.
// No Electron import, so tests drive it from Node; electron/main.ts wires it to ipcMain.
// Every call checks its sender (the app's own page, top frame) and its arguments (zod), and every
// path goes through the access policy (dialog-chosen files and the project's own folder).
import path from 'node:path';
import { z } from 'zod';
import type { EngineApi, EngineErrorData } from '../engine/api.ts';
import { badArgs } from '../engine/api-args.ts';
import { callMethod, eventForClient, toErrorData } from '../engine/api-methods.ts';
import type { AccessPolicy } from './access.ts';
import type { BridgeEvent, IpcReply } from './channels.ts';
import { EXPORT_KINDS, HOST_METHODS, type ExportKind } from './channels.ts';

/** The part of Electron's IpcMainInvokeEvent the handlers look at. */
export interface InvokeEvent {
  senderFrame: { url: string; parent?: unknown } | null;
}

export interface HostDialogs {
  openProject(): Promise<string | null>;
  saveProject(suggestedName: string): Promise<string | null>;
  exportModel(kind: ExportKind, suggestedName: string): Promise<string | null>;
}

export interface DocumentState {
  path: string | null;
  name: string | null;
  dirty: boolean;
}

export interface IpcHandlerOptions {
  /** True only for the app's own page (see window-options.ts isAppUrl). */
  isTrustedSender(frame: InvokeEvent['senderFrame']): boolean;
  dialogs: HostDialogs;
  access: AccessPolicy;
  /** Called whenever the open document, its name or its dirty state changes (title, close prompt). */
  onDocument?(state: DocumentState): void;
  /** Called after a project file was opened or saved (recent documents). */
  onRecent?(file: string): void;
  /** Recent project files, most recent first (listed by listProjects). */
  recent?(): string[];
  /** The project the app was launched with. */
  initialFile?: string | null;
}

export interface IpcHandlers {
  invoke(event: InvokeEvent, method: unknown, args: unknown): Promise<IpcReply>;
  /** Stream engine events (paths as the renderer sees them) to `send`; returns the unsubscribe function. */
  subscribe(send: (event: BridgeEvent) => void): () => void;
  document(): DocumentState;
}

const HOST_ARGS = {
  'host.openDialog': z.tuple([]),
  'host.saveDialog': z.tuple([z.string().max(255).optional()]),
  'host.exportDialog': z.tuple([z.enum(EXPORT_KINDS), z.string().max(255).optional()]),
  'host.setDocument': z.tuple([
    z.strictObject({
      path: z.string().max(4096).nullable().optional(),
      name: z.string().max(500).nullable().optional(),
      dirty: z.boolean(),
    }),
  ]),
  'host.initialFile': z.tuple([]),
} as const satisfies Record<(typeof HOST_METHODS)[number], z.ZodType>;

const methodName = z.string().min(1).max(100);
const argList = z.array(z.unknown()).max(16);

const reject = (error: EngineErrorData): IpcReply => ({ ok: false, error });

export function createIpcHandlers(engine: EngineApi, options: IpcHandlerOptions): IpcHandlers {
  const { access, dialogs } = options;
  const state: DocumentState = { path: null, name: null, dirty: false };
  const changed = (patch: Partial<DocumentState>) => {
    Object.assign(state, patch);
    options.onDocument?.({ ...state });
  };
  const safeName = (name: string | undefined, fallback: string) =>
    path.basename(name || fallback).replace(/[\\/:*?"<>|]/g, '_');

  const hostCall = async (method: keyof typeof HOST_ARGS, args: unknown[]): Promise<unknown> => {
    const parsed = HOST_ARGS[method].safeParse(args);
    if (!parsed.success) throw badArgs(method, parsed.error);
    const a = parsed.data as unknown[];
    switch (method) {
      case 'host.openDialog': {
        const file = await dialogs.openProject();
        return file ? access.grantFile(file) : null;
      }
      case 'host.saveDialog': {
        const file = await dialogs.saveProject(
          safeName(a[0] as string | undefined, 'Untitled.netwright.json'),
        );
        return file ? access.grantFile(file) : null;
      }
      case 'host.exportDialog': {
        const kind = a[0] as ExportKind;
        const chosen = await dialogs.exportModel(
          kind,
          safeName(a[1] as string | undefined, kind === 'onnx' ? 'model.onnx' : `model-${kind}`),
        );
        if (!chosen) return null;
        return kind === 'onnx' ? access.grantFile(chosen) : access.grantFolder(chosen);
      }
      case 'host.setDocument': {
        const doc = a[0] as { path?: string | null; name?: string | null; dirty: boolean };
        const patch: Partial<DocumentState> = { dirty: doc.dirty };
        if (doc.name !== undefined) patch.name = doc.name;
        // The renderer may only name a file it is allowed to use.
        if (doc.path !== undefined)
          patch.path = doc.path === null ? null : await access.resolve(doc.path, 'project file');
        changed(patch);
        return null;
      }
      case 'host.initialFile':
        return options.initialFile ? access.grantFile(options.initialFile) : null;
    }
  };

  /** Engine calls, plus the document bookkeeping the title and the close prompt need. */
  const engineCall = async (method: string, args: unknown[]): Promise<unknown> => {
    if (method === 'listProjects') {
      const inDefault = ((await callMethod(engine, method, args, access)) as string[]).map((p) =>
        path.join(access.defaultDir, p),
      );
      return [...new Set([...(options.recent?.() ?? []), ...inDefault])];
    }
    const result = await callMethod(engine, method, args, access);
    if (method === 'openProject' || method === 'saveProject') {
      const file = await access.resolve(args[0] as string, 'project file');
      const name =
        method === 'openProject' ? (result as { name?: string }).name : (args[1] as { name?: string }).name;
      changed({ path: file, name: name ?? path.basename(file), dirty: false });
      options.onRecent?.(file);
    } else if (method === 'saveRecovery') {
      // The renderer autosaves while there are unsaved edits and clears the recovery after a save.
      changed({ dirty: args[0] !== null });
    }
    return result;
  };

  return {
    async invoke(event, method, args) {
      if (!options.isTrustedSender(event?.senderFrame ?? null)) {
        return reject({ code: 'forbidden', message: 'This window is not allowed to call the engine.' });
      }
      const m = methodName.safeParse(method);
      const a = argList.safeParse(args ?? []);
      if (!m.success) return reject({ code: 'invalid', message: 'The method name must be a short string.' });
      if (!a.success)
        return reject({
          code: 'invalid',
          message: `${m.data}: the arguments must be a list of at most 16 values.`,
        });
      try {
        const result = (HOST_METHODS as readonly string[]).includes(m.data)
          ? await hostCall(m.data as keyof typeof HOST_ARGS, a.data)
          : await engineCall(m.data, a.data);
        return { ok: true, result: result ?? null };
      } catch (err) {
        const data = toErrorData(err);
        if (data.code === 'internal') console.error(`netwright: ${m.data} failed:`, err);
        return reject(data);
      }
    },
    subscribe(send) {
      return engine.subscribe((event) => send(eventForClient(event, access)));
    },
    document: () => ({ ...state }),
  };
}
