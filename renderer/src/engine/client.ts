// The renderer's EngineApi client (protocol.md). In Electron the preload exposes window.netwright
// (IPC); in a browser (web mode, `netwright serve`) calls go over HTTP and events over a WebSocket.
import type { EngineApi, EngineErrorData, EngineEvent } from '../../../engine/api.ts';

export type { EngineApi, EngineEvent, EngineErrorData };

export interface ElectronBridge {
  invoke(method: string, args: unknown[]): Promise<unknown>;
  onEvent(cb: (e: EngineEvent) => void): () => void;
  host: 'electron';
}

declare global {
  interface Window {
    netwright?: ElectronBridge;
  }
}

/** An engine error as the UI sees it: `message` is one sentence for the user. */
export class EngineCallError extends Error {
  constructor(public readonly data: EngineErrorData) {
    super(data.message);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof EngineCallError) return err.data.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

type CallFn = (method: string, args: unknown[]) => Promise<unknown>;

export const TOKEN_KEY = 'netwright.token';

/** Take the token from `?token=` once, keep it for this tab, and hide it from the address bar. */
function readToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + (url.search || '') + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpTransport(): { call: CallFn; onEvent: (cb: (e: EngineEvent) => void) => () => void } {
  const token = readToken();
  const base = new URL('.', window.location.href);
  const call: CallFn = async (method, args) => {
    let response: Response;
    try {
      response = await fetch(new URL(`api/call/${method}`, base), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ args }),
      });
    } catch {
      throw new EngineCallError({
        code: 'unavailable',
        message: 'The Netwright engine is not reachable; is `netwright serve` still running?',
      });
    }
    const body = (await response.json().catch(() => null)) as {
      result?: unknown;
      error?: EngineErrorData;
    } | null;
    if (!response.ok || !body || body.error) {
      if (response.status === 401) {
        throw new EngineCallError({
          code: 'forbidden',
          message: 'This page has no valid access token; open the URL that `netwright serve` printed.',
        });
      }
      throw new EngineCallError(
        body?.error ?? { code: 'internal', message: `The engine answered ${response.status} to ${method}.` },
      );
    }
    return body.result;
  };

  const listeners = new Set<(e: EngineEvent) => void>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = () => {
    const wsUrl = new URL(`api/events?token=${encodeURIComponent(token)}`, base);
    wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(wsUrl);
    socket.onopen = () => (retry = 500);
    socket.onmessage = (msg) => {
      let event: EngineEvent;
      try {
        event = JSON.parse(String(msg.data)) as EngineEvent;
      } catch {
        return;
      }
      listeners.forEach((l) => l(event));
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size) setTimeout(connect, (retry = Math.min(retry * 2, 8000)));
    };
  };
  const onEvent = (cb: (e: EngineEvent) => void) => {
    listeners.add(cb);
    if (!socket) connect();
    return () => {
      listeners.delete(cb);
    };
  };
  return { call, onEvent };
}

/** One call through the preload bridge; a rejection becomes an EngineCallError (also used by host.ts). */
export async function invokeBridge(
  bridge: ElectronBridge,
  method: string,
  args: unknown[],
): Promise<unknown> {
  try {
    return await bridge.invoke(method, args);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    // The preload rejects with an Error whose message is JSON of EngineErrorData (Electron may prefix it).
    const json = text.slice(text.indexOf('{'));
    try {
      throw new EngineCallError(JSON.parse(json) as EngineErrorData);
    } catch (parsed) {
      if (parsed instanceof EngineCallError) throw parsed;
      throw new EngineCallError({ code: 'internal', message: text });
    }
  }
}

function electronTransport(bridge: ElectronBridge) {
  const call: CallFn = (method, args) => invokeBridge(bridge, method, args);
  return { call, onEvent: (cb: (e: EngineEvent) => void) => bridge.onEvent(cb) };
}

export function createClient(): EngineApi & { host: 'electron' | 'web' } {
  const transport = window.netwright ? electronTransport(window.netwright) : httpTransport();
  const c = transport.call;
  const typed =
    <A extends unknown[], R>(method: string) =>
    (...args: A) => {
      // Optional trailing arguments are left out, not sent as null (JSON has no undefined).
      const sent: unknown[] = [...args];
      while (sent.length && sent[sent.length - 1] === undefined) sent.pop();
      return c(method, sent) as Promise<R>;
    };
  type Api = EngineApi;
  return {
    host: window.netwright ? 'electron' : 'web',
    version: typed<[], string>('version'),
    backend: typed<[], Awaited<ReturnType<Api['backend']>>>('backend'),
    listLayers: typed<[], Awaited<ReturnType<Api['listLayers']>>>('listLayers'),
    inspect: typed<Parameters<Api['inspect']>, Awaited<ReturnType<Api['inspect']>>>('inspect'),
    listExamples: typed<[], Awaited<ReturnType<Api['listExamples']>>>('listExamples'),
    loadExample: typed<Parameters<Api['loadExample']>, Awaited<ReturnType<Api['loadExample']>>>(
      'loadExample',
    ),
    listPretrained: typed<[], Awaited<ReturnType<Api['listPretrained']>>>('listPretrained'),
    importModel: typed<Parameters<Api['importModel']>, Awaited<ReturnType<Api['importModel']>>>(
      'importModel',
    ),
    openProject: typed<Parameters<Api['openProject']>, Awaited<ReturnType<Api['openProject']>>>(
      'openProject',
    ),
    saveProject: typed<Parameters<Api['saveProject']>, void>('saveProject'),
    previewData: typed<Parameters<Api['previewData']>, Awaited<ReturnType<Api['previewData']>>>(
      'previewData',
    ),
    startTraining: typed<Parameters<Api['startTraining']>, Awaited<ReturnType<Api['startTraining']>>>(
      'startTraining',
    ),
    stopTraining: typed<Parameters<Api['stopTraining']>, void>('stopTraining'),
    listRuns: typed<Parameters<Api['listRuns']>, Awaited<ReturnType<Api['listRuns']>>>('listRuns'),
    exportModel: typed<Parameters<Api['exportModel']>, Awaited<ReturnType<Api['exportModel']>>>(
      'exportModel',
    ),
    predict: typed<Parameters<Api['predict']>, Awaited<ReturnType<Api['predict']>>>('predict'),
    explain: typed<Parameters<Api['explain']>, Awaited<ReturnType<Api['explain']>>>('explain'),
    exportTorchPackage: typed<
      Parameters<Api['exportTorchPackage']>,
      Awaited<ReturnType<Api['exportTorchPackage']>>
    >('exportTorchPackage'),
    importCheckpoint: typed<
      Parameters<Api['importCheckpoint']>,
      Awaited<ReturnType<Api['importCheckpoint']>>
    >('importCheckpoint'),
    listFolder: typed<Parameters<Api['listFolder']>, Awaited<ReturnType<Api['listFolder']>>>('listFolder'),
    listProjects: typed<[], string[]>('listProjects'),
    testPredictions: typed<Parameters<Api['testPredictions']>, Awaited<ReturnType<Api['testPredictions']>>>(
      'testPredictions',
    ),
    listUserBlocks: typed<[], Awaited<ReturnType<Api['listUserBlocks']>>>('listUserBlocks'),
    saveUserBlock: typed<Parameters<Api['saveUserBlock']>, void>('saveUserBlock'),
    saveRecovery: typed<Parameters<Api['saveRecovery']>, void>('saveRecovery'),
    loadRecovery: typed<[], Awaited<ReturnType<Api['loadRecovery']>>>('loadRecovery'),
    listRecoveries: typed<[], Awaited<ReturnType<Api['listRecoveries']>>>('listRecoveries'),
    discardRecovery: typed<Parameters<Api['discardRecovery']>, void>('discardRecovery'),
    subscribe: (listener) => transport.onEvent(listener),
  };
}

let client: ReturnType<typeof createClient> | null = null;
/** The one client of this window. */
export function engine(): ReturnType<typeof createClient> {
  client ??= createClient();
  return client;
}
