// Web mode (docs/ARCHITECTURE.md, "Layering"): the EngineApi over HTTP + WebSocket.
//   POST /api/call/<method>  {args:[...]}  → 200 {result} | 4xx/5xx {error:{code,message,problems?}}
//   WS   /api/events?token=…                → one EngineEvent JSON per message
// Every /api request needs the per-launch token; a request whose Origin is not this server's own is
// refused; paths are confined to the workspace folder (server/workspace.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineApi, EngineErrorData } from '../engine/api.ts';
import { createEngine } from '../engine/service.ts';
import { eventForClient, isMethodName, toErrorData } from '../engine/api-methods.ts';
import { callMethodJson } from '../engine/api-json.ts';
import { createStaticHandler } from './static.ts';
import { openWorkspace } from './workspace.ts';
import { sendDownload } from './download.ts';

export const DEFAULT_RENDERER_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../renderer/dist',
);
export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

export interface ServeOptions {
  /** Workspace folder: every client path is relative to it and may not leave it. */
  root: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  staticDir?: string;
  /** Defaults to createEngine({ root, trainingConcurrency }). */
  engine?: EngineApi;
  /** Trainings that run at once; the rest wait their turn (default: one per core, fewer when memory is short). */
  trainingConcurrency?: number;
  bodyLimit?: number;
  /** Where unexpected errors are logged (with their stack, for the person running the server). */
  log?: (line: string) => void;
}

export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  origin: string;
  token: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

const STATUS: Record<EngineErrorData['code'], number> = {
  invalid: 400,
  unreadable: 422,
  'not-found': 404,
  forbidden: 403,
  unavailable: 503,
  internal: 500,
};

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

const hostnameOf = (hostHeader: string) => hostHeader.replace(/:\d+$/, '');

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly data: EngineErrorData,
  ) {
    super(data.message);
  }
}

/** `body` is a value to serialise, or JSON already serialised (the engine's large answers come as bytes). */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(413, {
      code: 'invalid',
      message: `The request is larger than the ${Math.round(limit / 1024 / 1024)} MB limit.`,
    });
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const workspace = await openWorkspace(options.root);
  const engine =
    options.engine ??
    createEngine({
      root: workspace.root,
      trainingConcurrency: options.trainingConcurrency,
      // Web mode keeps the user's saved blocks in the workspace's settings folder.
      userBlocksDir: path.join(workspace.root, '.netwright', 'blocks'),
    });
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const token = randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const serveStatic = createStaticHandler(options.staticDir ?? DEFAULT_RENDERER_DIST);

  const tokenOk = (candidate: string | null | undefined) => {
    if (!candidate) return false;
    const buf = Buffer.from(candidate);
    return buf.length === tokenBuf.length && timingSafeEqual(buf, tokenBuf);
  };
  /**
   * The request's own origin is http://<Host header>. On a loopback server the Host must also be a
   * loopback name, so a web page on another site that rebinds its DNS name to 127.0.0.1 is refused.
   */
  const originOk = (req: IncomingMessage) => {
    const hostHeader = req.headers.host ?? '';
    if (loopback && !isLoopbackHost(hostnameOf(hostHeader))) return false;
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://${hostHeader}`;
  };
  /** Engine messages name absolute paths; clients know workspace-relative ones. */
  const hideRoot = (data: EngineErrorData): EngineErrorData => ({
    ...data,
    message: workspace.toClientText(data.message),
  });

  const handleApi = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    if (!originOk(req))
      throw new HttpError(403, {
        code: 'forbidden',
        message: 'Requests from another origin are not allowed.',
      });
    const auth = req.headers.authorization ?? '';
    if (!tokenOk(auth.startsWith('Bearer ') ? auth.slice(7) : null)) {
      throw new HttpError(401, {
        code: 'forbidden',
        message: 'A valid access token is required; open the URL printed by `netwright serve`.',
      });
    }
    if (pathname === '/api/download') {
      if (req.method !== 'GET') throw new HttpError(405, { code: 'invalid', message: 'Downloads use GET.' });
      await sendDownload(
        res,
        workspace,
        new URL(req.url ?? '/', 'http://localhost').searchParams.get('path'),
      );
      return;
    }
    const m = /^\/api\/call\/([A-Za-z]+)$/.exec(pathname);
    if (!m)
      throw new HttpError(404, { code: 'not-found', message: `There is no API endpoint at ${pathname}.` });
    if (req.method !== 'POST')
      throw new HttpError(405, { code: 'invalid', message: 'Engine calls use POST.' });
    if (!isMethodName(m[1]))
      throw new HttpError(404, { code: 'not-found', message: `There is no engine method called "${m[1]}".` });
    const body = await readBody(req, bodyLimit);
    sendJson(res, 200, await callMethodJson(engine, m[1], body, workspace));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      handleApi(req, res, url.pathname).catch((err: unknown) => {
        if (err instanceof HttpError) {
          if (err.status === 413) res.setHeader('Connection', 'close');
          sendJson(res, err.status, { error: err.data });
          return;
        }
        const data = toErrorData(err);
        if (data.code === 'internal')
          log(
            `netwright serve: ${req.method} ${url.pathname} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          );
        sendJson(res, STATUS[data.code] ?? 500, { error: hideRoot(data) });
      });
      return;
    }
    serveStatic(req, res, url.pathname).catch((err: unknown) => {
      log(`netwright serve: static ${url.pathname} failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.requestTimeout = 5 * 60_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api/events') return refuse('404 Not Found');
    if (!originOk(req)) return refuse('403 Forbidden');
    if (!tokenOk(url.searchParams.get('token'))) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
    });
  });
  const unsubscribe = engine.subscribe((event) => {
    const text = JSON.stringify(eventForClient(event, workspace));
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${urlHost}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    host,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
