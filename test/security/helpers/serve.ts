// The real `netwright serve` process for tests that attack it from outside: spawned as a user runs
// it, driven with raw HTTP requests (headers and paths go on the wire exactly as written) and a real
// WebSocket client.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import type { EngineEvent } from '../../../engine/api.ts';
import { REPO } from '../../reliability/helpers/cli.ts';

export interface Serve {
  child: ChildProcess;
  url: URL;
  token: string;
  port: number;
  stderr: () => string;
}

/** Start `netwright serve` in `cwd` and parse the URL it prints. */
export async function startServe(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Serve> {
  const child = spawn(
    process.execPath,
    [path.join(REPO, 'bin', 'netwright.mjs'), 'serve', '--port', '0', ...args],
    {
      cwd,
      env: { ...process.env, NETWRIGHT_HOME: path.join(cwd, 'home'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${out}\n${err}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Netwright is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
  });
  return { child, url, token: url.searchParams.get('token')!, port: Number(url.port), stderr: () => err };
}

export async function stopServe(s: Serve | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.on('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

export interface Reply {
  status: number;
  text: string;
  json: { result?: unknown; error?: { code: string; message: string; problems?: unknown[] } } | null;
}

/** A raw HTTP request: headers exactly as given, the path sent unnormalised. */
export function rawRequest(opts: {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  chunked?: boolean;
  host?: string;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: opts.host ?? '127.0.0.1',
        port: opts.port,
        method: opts.method ?? 'POST',
        path: opts.path,
        headers: opts.headers,
        setHost: !(opts.headers && 'Host' in opts.headers),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Reply['json'];
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A server that refuses a large body answers and closes while we are still sending: the
      // answer still arrives, the rest of our write fails with EPIPE/ECONNRESET.
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
      else
        setTimeout(() => resolve({ status: 0, text: `connection closed (${err.code})`, json: null }), 2000);
    });
    if (opts.chunked && opts.body) {
      const body = Buffer.from(opts.body);
      for (let i = 0; i < body.length; i += 65536) req.write(body.subarray(i, i + 65536));
      req.end();
    } else req.end(opts.body);
  });
}

/** An authorised engine call. */
export const callServe = (s: Serve, method: string, args: unknown[]): Promise<Reply> =>
  rawRequest({
    port: s.port,
    path: `/api/call/${method}`,
    headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ args }),
  });

/** A WebSocket on the server's event stream that keeps every event (as sent: raw text and parsed). */
export async function listenEvents(s: Serve): Promise<{
  events: EngineEvent[];
  raw: string[];
  until(p: (e: EngineEvent) => boolean, ms?: number): Promise<EngineEvent>;
  close(): void;
}> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/events?token=${s.token}`);
  const events: EngineEvent[] = [];
  const raw: string[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    raw.push(data.toString());
    events.push(JSON.parse(data.toString()) as EngineEvent);
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    events,
    raw,
    until(p, ms = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(p);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event in ${ms} ms; got ${raw.join('\n')}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => ws.close(),
  };
}
