// Web mode (server/): token, Origin, loopback, body limit, method allow-list, argument validation,
// workspace confinement, and real round trips through the real engine and a real WebSocket.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineApi, EngineEvent } from '../../engine/api.ts';
import { createEngine } from '../../engine/service.ts';
import { startServer, type RunningServer } from '../../server/http.ts';

const REPO = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(REPO, 'resources/examples/iris-mlp.netwright.json');

let tmp: string;
let root: string;
let server: RunningServer;
let emit: (e: EngineEvent) => void;

/** The real engine, plus a way for the test to make it emit an event (training is another issue's work). */
function engineWithEmitter(workspaceRoot: string): EngineApi {
  const engine = createEngine({ root: workspaceRoot });
  const listeners = new Set<(e: EngineEvent) => void>();
  emit = (e) => listeners.forEach((l) => l(e));
  return {
    ...engine,
    subscribe(listener) {
      listeners.add(listener);
      const off = engine.subscribe(listener);
      return () => {
        listeners.delete(listener);
        off();
      };
    },
  };
}

async function call(
  method: string,
  args: unknown[],
  init: { token?: string | null; origin?: string; host?: string; body?: string } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = init.token === undefined ? server.token : init.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (init.origin) headers.Origin = init.origin;
  const res = await fetch(`${server.origin}/api/call/${method}`, {
    method: 'POST',
    headers,
    body: init.body ?? JSON.stringify({ args }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: JSON.parse(text) as { result?: unknown; error?: { code: string; message: string } },
  };
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-serve-'));
  root = path.join(tmp, 'workspace');
  await fs.mkdir(path.join(root, 'projects'), { recursive: true });
  await fs.copyFile(EXAMPLE, path.join(root, 'projects/iris.netwright.json'));
  await fs.mkdir(path.join(tmp, 'outside'));
  await fs.copyFile(EXAMPLE, path.join(tmp, 'outside/secret.netwright.json'));
  await fs.symlink(path.join(tmp, 'outside'), path.join(root, 'escape'));
  process.env.NETWRIGHT_HOME = path.join(tmp, 'home');
  server = await startServer({
    root,
    port: 0,
    staticDir: path.join(tmp, 'no-dist'),
    engine: engineWithEmitter(root),
    log: () => {},
  });
});

afterAll(async () => {
  await server?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('access control', () => {
  it('binds to loopback by default and prints a URL with the token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses API calls without the token or with a wrong one (401)', async () => {
    const none = await call('version', [], { token: null });
    expect(none.status).toBe(401);
    expect(none.body.error?.message).toMatch(/token/);
    const wrong = await call('version', [], {
      token: server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.result).toBeUndefined();
  });

  it('refuses another site’s Origin (403) and accepts its own', async () => {
    const evil = await call('version', [], { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    const own = await call('version', [], { origin: server.origin });
    expect(own.status).toBe(200);
    expect(own.body.result).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses a DNS-rebound host name even with a matching Origin', async () => {
    // fetch forbids setting Host; use node:http directly.
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/call/version',
          method: 'POST',
          headers: {
            Host: `evil.example:${server.port}`,
            Origin: `http://evil.example:${server.port}`,
            Authorization: `Bearer ${server.token}`,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{"args":[]}');
    });
    expect(status).toBe(403);
  });

  it('refuses a body over the limit (413)', async () => {
    const big = JSON.stringify({ args: ['x'.repeat(9 * 1024 * 1024)] });
    const res = await fetch(`${server.origin}/api/call/loadExample`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /larger than the 8 MB limit/,
    );
  });

  it('answers 404 for a method that is not on the allow-list, even one the object has', async () => {
    expect((await call('deleteEverything', [])).status).toBe(404);
    expect((await call('subscribe', [])).status).toBe(404);
    expect((await call('constructor', [])).status).toBe(404);
  });

  it('answers 400 with one sentence for bad arguments or a bad body', async () => {
    const wrongType = await call('openProject', [42]);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatchObject({ code: 'invalid' });
    expect(wrongType.body.error?.message).toMatch(/^openProject: argument 0 expected string/);
    expect((await call('inspect', [{ nodes: 'no' }])).status).toBe(400);
    expect((await call('listLayers', [1, 2])).status).toBe(400);
    expect((await call('version', [], { body: '{not json' })).status).toBe(400);
  });

  it('serves a page saying how to build the UI when renderer/dist is missing, without a token', async () => {
    const res = await fetch(`${server.origin}/`);
    expect(await res.text()).toMatch(/npm run build/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('workspace confinement', () => {
  it.each([
    ['../outside/secret.netwright.json'],
    ['projects/../../outside/secret.netwright.json'],
    ['escape/secret.netwright.json'],
  ])('refuses to open %s (forbidden)', async (p) => {
    const res = await call('openProject', [p]);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden' });
  });

  it('refuses absolute paths outside the workspace, for reads and writes', async () => {
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    expect((await call('openProject', [path.join(tmp, 'outside/secret.netwright.json')])).status).toBe(403);
    expect((await call('saveProject', [path.join(tmp, 'outside/new.netwright.json'), project])).status).toBe(
      403,
    );
    expect((await call('saveProject', ['escape/new.netwright.json', project])).status).toBe(403);
    await expect(fs.access(path.join(tmp, 'outside/new.netwright.json'))).rejects.toThrow();
    expect((await call('listRuns', ['../x.netwright.json'])).status).toBe(403);
    expect((await call('exportModel', [{ project, onnxPath: '/tmp/evil.onnx' }])).status).toBe(403);
    expect(
      (await call('previewData', [{ source: 'csv:../../etc/passwd' }, 'projects/iris.netwright.json']))
        .status,
    ).toBe(403);
    expect((await call('previewData', [{ source: 'csv:/etc/passwd' }])).status).toBe(403);
  });

  it('does not reveal the workspace’s absolute path in error messages', async () => {
    const res = await call('openProject', ['projects/missing.netwright.json']);
    expect(res.body.error?.message).toContain('projects/missing.netwright.json');
    expect(res.body.error?.message).not.toContain(root);
  });
});

describe('round trips through the real engine', () => {
  it('lists layers and inspects a graph', async () => {
    const layers = await call('listLayers', []);
    expect(layers.status).toBe(200);
    expect((layers.body.result as { type: string }[]).map((l) => l.type)).toEqual(
      expect.arrayContaining(['Input', 'Dense', 'Output']),
    );
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    const inspected = await call('inspect', [project.graph]);
    expect(inspected.status).toBe(200);
    expect(inspected.body.result).toMatchObject({ valid: true });
    expect((inspected.body.result as { totalParams: number }).totalParams).toBeGreaterThan(0);
  });

  it('opens, saves and lists projects inside the workspace', async () => {
    const opened = await call('openProject', ['projects/iris.netwright.json']);
    expect(opened.status).toBe(200);
    const project = opened.body.result as { name: string };
    project.name = 'Renamed over HTTP';
    expect((await call('saveProject', ['projects/copy.netwright.json', project])).status).toBe(200);
    const onDisk = JSON.parse(await fs.readFile(path.join(root, 'projects/copy.netwright.json'), 'utf8'));
    expect(onDisk.name).toBe('Renamed over HTTP');
    expect((await call('openProject', ['projects/copy.netwright.json'])).body.result).toMatchObject({
      name: 'Renamed over HTTP',
    });
    const listed = await call('listProjects', []);
    expect(listed.body.result).toEqual(['projects/copy.netwright.json', 'projects/iris.netwright.json']);
  });

  it('rejects saving an invalid project with its problems and leaves the file alone', async () => {
    const before = await fs.readFile(path.join(root, 'projects/iris.netwright.json'), 'utf8');
    const res = await call('saveProject', [
      'projects/iris.netwright.json',
      { format: 'netwright', version: 1, graph: { nodes: 'x' } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid' });
    expect(await fs.readFile(path.join(root, 'projects/iris.netwright.json'), 'utf8')).toBe(before);
  });

  it('keeps a recovery file with a workspace-relative project path', async () => {
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    expect((await call('saveRecovery', [project, 'projects/iris.netwright.json'])).status).toBe(200);
    const rec = await call('loadRecovery', []);
    expect(rec.body.result).toMatchObject({
      projectPath: 'projects/iris.netwright.json',
      project: { name: project.name },
    });
    await call('saveRecovery', [null]);
    expect((await call('loadRecovery', [])).body.result).toBeNull();
  });
});

describe('events over WebSocket', () => {
  const connect = (url: string, origin?: string) => new WebSocket(url, origin ? { origin } : {});
  const outcome = (ws: WebSocket) =>
    new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
  const wsUrl = (token: string) => `ws://127.0.0.1:${server.port}/api/events?token=${token}`;

  it('delivers engine events to a client with the token, paths made workspace-relative', async () => {
    const ws = connect(wsUrl(server.token), server.origin);
    expect(await outcome(ws)).toBe('open');
    const got = new Promise<EngineEvent>((resolve) =>
      ws.on('message', (m) => resolve(JSON.parse(String(m)) as EngineEvent)),
    );
    emit({
      kind: 'train-finished',
      jobId: 'j1',
      status: 'complete',
      runDir: path.join(root, 'projects/runs/r1'),
    });
    expect(await got).toEqual({
      kind: 'train-finished',
      jobId: 'j1',
      status: 'complete',
      runDir: 'projects/runs/r1',
    });
    ws.close();
  });

  it('refuses a bad token (401) and a foreign Origin (403)', async () => {
    expect(await outcome(connect(wsUrl('wrong')))).toBe('401');
    expect(await outcome(connect(wsUrl(server.token), 'http://evil.example'))).toBe('403');
  });
});

describe('netwright serve (CLI)', () => {
  it('prints the loopback URL with a token and serves on it; warns for a non-loopback --host', async () => {
    const run = (extra: string[]) =>
      new Promise<{ url: string; stderr: string; stop: () => void }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [path.join(REPO, 'bin/netwright.mjs'), 'serve', '--port', '0', '--root', root, ...extra],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out} ${err}`)), 30_000);
        child.stderr.on('data', (d) => (err += d));
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Netwright is running at (\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve({ url: m[1], stderr: err, stop: () => child.kill('SIGTERM') });
          }
        });
      });
    const plain = await run([]);
    try {
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}/);
      expect(plain.stderr).toBe('');
      const u = new URL(plain.url);
      const res = await fetch(`${u.origin}/api/call/listExamples`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${u.searchParams.get('token')}` },
        body: '{"args":[]}',
      });
      expect(res.status).toBe(200);
    } finally {
      plain.stop();
    }
    const open = await run(['--host', '0.0.0.0']);
    open.stop();
    expect(open.stderr).toMatch(/warning: listening on 0\.0\.0\.0, not 127\.0\.0\.1/);
  });
});
