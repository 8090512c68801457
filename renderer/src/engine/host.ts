// What the host adds beside the EngineApi: in the desktop app (window.netwright.host === 'electron')
// native file dialogs, the window title/dirty marker, the launch file, menu commands and files opened
// from the OS (electron/channels.ts). In a browser (web mode) there is no host: every function here
// answers null / does nothing, and the callers keep their web behaviour.
import type { ExportKind, HostEvent, MenuCommand } from '../../../electron/channels.ts';
import { invokeBridge } from './client.ts';

export type { HostEvent, MenuCommand };

export interface DocumentInfo {
  path?: string | null;
  name?: string | null;
  dirty: boolean;
}

/** The desktop host's calls, typed. */
export interface DesktopHost {
  /** Absolute path of the project the user chose, or null when cancelled. */
  openDialog(): Promise<string | null>;
  saveDialog(suggestedName?: string): Promise<string | null>;
  /** An ONNX file, or a folder (tfjs model, PyTorch package to write or to import), or null. */
  exportDialog(kind: ExportKind, suggestedName?: string): Promise<string | null>;
  setDocument(doc: DocumentInfo): Promise<void>;
  /** The project the app was launched with, or null. */
  initialFile(): Promise<string | null>;
  /** Menu commands and OS-opened files; returns the unsubscribe function. */
  onHostEvent(cb: (e: HostEvent) => void): () => void;
}

export function isDesktop(): boolean {
  return typeof window !== 'undefined' && window.netwright?.host === 'electron';
}

function isHostEvent(e: unknown): e is HostEvent {
  const kind = (e as { kind?: unknown } | null)?.kind;
  return kind === 'menu' || kind === 'open-file';
}

function createDesktopHost(): DesktopHost {
  const bridge = window.netwright!;
  const call = <R>(method: string, args: unknown[]) => invokeBridge(bridge, method, args) as Promise<R>;
  const optional = (v: string | undefined) => (v === undefined ? [] : [v]);
  return {
    openDialog: () => call<string | null>('host.openDialog', []),
    saveDialog: (name) => call<string | null>('host.saveDialog', optional(name)),
    exportDialog: (kind, name) => call<string | null>('host.exportDialog', [kind, ...optional(name)]),
    setDocument: async (doc) => {
      await call<null>('host.setDocument', [doc]);
    },
    initialFile: () => call<string | null>('host.initialFile', []),
    onHostEvent: (cb) =>
      bridge.onEvent((e: unknown) => {
        if (isHostEvent(e)) cb(e);
      }),
  };
}

let host: DesktopHost | null | undefined;
/** The desktop host of this window, or null in a browser. */
export function desktopHost(): DesktopHost | null {
  if (host === undefined) host = isDesktop() ? createDesktopHost() : null;
  return host;
}
