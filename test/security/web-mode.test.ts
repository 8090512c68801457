// Web mode, attacked from outside: the real `netwright serve` process (spawned as a user would run
// it), raw HTTP requests (so Host/Origin/paths go on the wire exactly as written) and a real
// WebSocket client. Token, Origin, DNS rebinding, loopback bind, body limits, path traversal for every
// file-taking method, the static file server, and error bodies without internals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import fc from 'fast-check';
import { REPO, STACK_TRACE } from '../reliability/helpers/cli.ts';
import {
  rawRequest,
  startServe as startServeIn,
  stopServe,
  type Reply,
  type Serve,
} from './helpers/serve.ts';

const EXAMPLE = path.join(REPO, 'resources', 'examples', 'iris-mlp.netwright.json');
const SECRET = 'TOP-SECRET-7f3a9c';

let tmp: string;
let root: string;
let outside: string;
let server: Serve;

const startServe = (args: string[], env: NodeJS.ProcessEnv = {}) => startServeIn(args, tmp, env);
const stop = stopServe;
const request = (opts: Omit<Parameters<typeof rawRequest>[0], 'port'> & { port?: number }) =>
  rawRequest({ ...opts, port: opts.port ?? server.port });

const authed = (extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${server.token}`,
  'Content-Type': 'application/json',
  ...extra,
});

const call = (method: string, args: unknown[], headers: Record<string, string> = authed()) =>
  request({ path: `/api/call/${method}`, headers, body: JSON.stringify({ args }) });

/** An error reply: the status, a code and a sentence, and nothing a user should not see. */
function expectError(r: Reply, status: number, code?: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.json?.error, r.text).toBeTruthy();
  if (code) expect(r.json!.error!.code).toBe(code);
  expect(r.json!.error!.message.length).toBeGreaterThan(0);
  expect(r.text).not.toMatch(STACK_TRACE);
  expect(r.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
  expect(r.text).not.toContain(SECRET);
  expect(r.text).not.toContain('root:x:0:0');
}

beforeAll(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-websec-')));
  root = path.join(tmp, 'workspace');
  outside = path.join(tmp, 'outside');
  await fs.mkdir(path.join(root, 'projects'), { recursive: true });
  await fs.mkdir(outside);
  await fs.copyFile(EXAMPLE, path.join(root, 'projects', 'iris.netwright.json'));
  const secretProject = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
  secretProject.name = SECRET;
  await fs.writeFile(path.join(outside, 'secret.netwright.json'), JSON.stringify(secretProject));
  await fs.writeFile(path.join(outside, 'secret.csv'), `a,b,y\n1,2,${SECRET}\n3,4,${SECRET}\n`);
  await fs.symlink(outside, path.join(root, 'escape')); // folder symlink out of the workspace
  await fs.symlink(path.join(outside, 'secret.netwright.json'), path.join(root, 'linked.netwright.json'));
  await fs.symlink(path.join(outside, 'not-yet'), path.join(root, 'dangling')); // dangling, points out
  await fs.symlink(path.join(outside, 'planted.netwright.json'), path.join(root, 'planted.netwright.json')); // dangling file link
  server = await startServe(['--root', root]);
}, 90_000);

afterAll(async () => {
  await stop(server);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('web mode: the token', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(server.url.hostname).toBe('127.0.0.1');
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('accepts the token (control case)', async () => {
    const r = await call('version', []);
    expect(r.status, r.text).toBe(200);
    expect(typeof r.json?.result).toBe('string');
  });

  it('refuses a request without the token, with a wrong one, or with the token in the wrong place', async () => {
    expectError(await call('version', [], { 'Content-Type': 'application/json' }), 401);
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A');
    expectError(await call('version', [], authed({ Authorization: `Bearer ${wrong}` })), 401);
    expectError(await call('version', [], authed({ Authorization: `Bearer ${server.token}x` })), 401);
    expectError(await call('version', [], authed({ Authorization: `Basic ${server.token}` })), 401);
    expectError(await call('version', [], authed({ Authorization: 'Bearer ' })), 401);
    // The token in the query string is for the page and the WebSocket only, not for calls.
    expectError(
      await request({
        path: `/api/call/version?token=${server.token}`,
        headers: { 'Content-Type': 'application/json' },
        body: '{"args":[]}',
      }),
      401,
    );
  });

  it('refuses every API path without the token, known or not', async () => {
    for (const p of ['/api/call/openProject', '/api/call/nope', '/api/', '/api/events']) {
      const r = await request({
        path: p,
        headers: { 'Content-Type': 'application/json' },
        body: '{"args":["projects/iris.netwright.json"]}',
      });
      expect(r.status, p).toBe(401);
      expect(r.text).not.toContain('Iris');
    }
  });

  it('a new launch has a new token', async () => {
    const other = await startServe(['--root', root]);
    try {
      expect(other.token).not.toBe(server.token);
      expectError(
        await request({
          port: other.port,
          path: '/api/call/version',
          headers: authed(),
          body: '{"args":[]}',
        }),
        401,
      );
    } finally {
      await stop(other);
    }
  });
});

describe('web mode: Origin and Host', () => {
  it.each([
    'http://evil.example',
    'null',
    'http://127.0.0.1.evil.example',
    'https://127.0.0.1', // right host, wrong scheme
  ])('refuses Origin %s even with the token', async (origin) => {
    expectError(await call('version', [], authed({ Origin: origin })), 403, 'forbidden');
  });

  it('refuses the same host on another port (another local web app)', async () => {
    expectError(await call('version', [], authed({ Origin: `http://127.0.0.1:${server.port + 1}` })), 403);
  });

  it("accepts the server's own origin", async () => {
    const r = await call('version', [], authed({ Origin: `http://127.0.0.1:${server.port}` }));
    expect(r.status, r.text).toBe(200);
  });

  it('refuses a rebound DNS name (Host header not loopback), with or without a matching Origin', async () => {
    const host = `evil.example:${server.port}`;
    expectError(await call('version', [], authed({ Host: host })), 403);
    expectError(await call('version', [], authed({ Host: host, Origin: `http://${host}` })), 403);
  });
});

describe('web mode: WebSocket events', () => {
  const connect = (query: string, headers: Record<string, string> = {}) =>
    new Promise<{ opened: boolean; status?: number }>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events${query}`, { headers });
      ws.on('open', () => {
        ws.close();
        resolve({ opened: true });
      });
      ws.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
      ws.on('error', () => resolve({ opened: false }));
    });

  it('opens with the token and our origin (control case)', async () => {
    expect(await connect(`?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` })).toEqual({
      opened: true,
    });
  });

  it('refuses no token, a wrong token, a token in a header only, another origin, a rebound Host', async () => {
    expect(await connect('')).toMatchObject({ opened: false, status: 401 });
    expect(await connect('?token=nope')).toMatchObject({ opened: false, status: 401 });
    expect(await connect('', { Authorization: `Bearer ${server.token}` })).toMatchObject({ opened: false });
    expect(await connect(`?token=${server.token}`, { Origin: 'http://evil.example' })).toMatchObject({
      opened: false,
      status: 403,
    });
    expect(await connect(`?token=${server.token}`, { Origin: 'null' })).toMatchObject({
      opened: false,
      status: 403,
    });
    expect(await connect(`?token=${server.token}`, { Host: `evil.example:${server.port}` })).toMatchObject({
      opened: false,
      status: 403,
    });
  });
});

describe('web mode: network exposure', () => {
  const externalAddress = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

  it('binds loopback by default: the port is closed on the external interface', async () => {
    if (!externalAddress) {
      // No external interface here: the printed 127.0.0.1 URL (tested above) is all we can check.
      expect(server.url.hostname).toBe('127.0.0.1');
      return;
    }
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: externalAddress, port: server.port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    expect(reachable).toBe(false);
  });

  it('warns on stderr when --host is not loopback, and still requires the token there', async () => {
    const open = await startServe(['--root', root, '--host', '0.0.0.0']);
    try {
      expect(open.stderr()).toMatch(/warning: listening on 0\.0\.0\.0, not 127\.0\.0\.1/);
      expectError(
        await request({
          port: open.port,
          path: '/api/call/version',
          headers: { 'Content-Type': 'application/json' },
          body: '{"args":[]}',
        }),
        401,
      );
    } finally {
      await stop(open);
    }
  });
});

describe('web mode: request bodies and methods', () => {
  it('refuses a body over the limit, declared or streamed without a length', async () => {
    // Declared: the answer comes from the headers alone, before any of the body is read.
    const declared = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: server.port }, () => {
        socket.write(
          `POST /api/call/loadExample HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${1024 * 1024 * 1024}\r\n\r\n{"args":[`,
        );
      });
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 10_000);
    });
    expect(declared).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared).toMatch(/"code":"invalid"/);
    expect(declared).toMatch(/larger than the \d+ MB limit/);
    // Streamed without a length: cut off once it passes the limit.
    const big = JSON.stringify({ args: ['x'.repeat(9 * 1024 * 1024)] });
    expectError(
      await request({
        path: '/api/call/loadExample',
        headers: authed({ 'Transfer-Encoding': 'chunked' }),
        body: big,
        chunked: true,
      }),
      413,
    );
    // The server is still fine afterwards.
    expect((await call('version', [])).status).toBe(200);
  });

  it('answers malformed bodies and arguments with 400 and a sentence', async () => {
    expectError(
      await request({ path: '/api/call/openProject', headers: authed(), body: '{"args": [' }),
      400,
      'invalid',
    );
    expectError(
      await request({ path: '/api/call/openProject', headers: authed(), body: '[1,2]' }),
      400,
      'invalid',
    );
    expectError(await call('openProject', [42]), 400, 'invalid');
    expectError(await call('openProject', []), 400, 'invalid');
    expectError(await call('saveProject', ['projects/x.netwright.json', 'not a project']), 400, 'invalid');
    expectError(await call('inspect', [{ nodes: 'x', edges: [] }]), 400, 'invalid');
  });

  it('refuses prototype names and unknown methods with 404, and GET with 405', async () => {
    for (const m of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'subscribe', 'nope']) {
      expectError(await call(m, []), 404);
    }
    expectError(await request({ method: 'GET', path: '/api/call/version', headers: authed() }), 405);
  });

  it('an invalid project is refused whole and the file on disk is untouched', async () => {
    const file = path.join(root, 'projects', 'iris.netwright.json');
    const before = await fs.readFile(file);
    const bad = JSON.parse(before.toString());
    bad.graph.edges.push({ id: 'x', source: 'd1', target: 'ghost' });
    const r = await call('saveProject', ['projects/iris.netwright.json', bad]);
    expectError(r, 400, 'invalid');
    expect(r.json!.error!.problems).toBeTruthy();
    expect(Buffer.compare(await fs.readFile(file), before)).toBe(0);
  });
});

describe('web mode: paths stay in the workspace', () => {
  const outsideAbs = () => path.join(outside, 'secret.netwright.json');
  const escapes = () => [
    '../outside/secret.netwright.json',
    'projects/../../outside/secret.netwright.json',
    outsideAbs(),
    '/etc/passwd',
    'escape/secret.netwright.json', // through a folder symlink
    'linked.netwright.json', // a file symlink
  ];

  it('openProject refuses every escape (and never returns the secret)', async () => {
    for (const p of escapes()) expectError(await call('openProject', [p]), 403, 'forbidden');
  });

  it('URL-encoded dots are names, not steps up: %2e%2e stays inside and is simply not found', async () => {
    const r = await call('openProject', ['%2e%2e/outside/secret.netwright.json']);
    expect(r.status).not.toBe(200);
    expectError(r, r.status);
  });

  it('saveProject refuses every escape and writes nothing outside', async () => {
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    const targets = [
      '../outside/new.netwright.json',
      path.join(outside, 'new2.netwright.json'),
      'escape/new3.netwright.json',
      'dangling/new4.netwright.json', // dangling folder symlink pointing out
      'planted.netwright.json', // dangling file symlink pointing out
    ];
    for (const t of targets) {
      const r = await call('saveProject', [t, project]);
      expect(r.status, `${t}: ${r.text}`).toBe(403);
      expectError(r, 403, 'forbidden');
    }
    expect((await fs.readdir(outside)).sort()).toEqual(['secret.csv', 'secret.netwright.json']);
  });

  it('previewData refuses data sources and project paths outside', async () => {
    const inside = 'projects/iris.netwright.json';
    for (const source of [
      'csv:../../outside/secret.csv',
      `csv:${path.join(outside, 'secret.csv')}`,
      'csv:../escape/secret.csv',
      'images:../../outside',
    ]) {
      expectError(await call('previewData', [{ source }, inside]), 403, 'forbidden');
    }
    for (const source of [
      'csv:../outside/secret.csv',
      `csv:${path.join(outside, 'secret.csv')}`,
      'csv:escape/secret.csv',
    ]) {
      expectError(await call('previewData', [{ source }]), 403, 'forbidden');
    }
    expectError(
      await call('previewData', [{ source: 'csv:secret.csv' }, '../outside/secret.netwright.json']),
      403,
      'forbidden',
    );
  });

  it('refuses data sources padded with whitespace or control characters, which once slipped past the check', async () => {
    const secretCsv = path.join(outside, 'secret.csv');
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    for (const source of [
      ` csv:${secretCsv}`,
      `\tcsv:${secretCsv}`,
      `csv:${secretCsv} `,
      `csv: ${secretCsv}`,
      `\ncsv:/etc/passwd`,
      ' images:../../outside',
      `csv:${secretCsv}\u0000`,
      `\u2028csv:${secretCsv}`,
    ]) {
      for (const r of [
        await call('previewData', [{ source }]),
        await call('previewData', [{ source }, 'projects/iris.netwright.json']),
        await call('startTraining', [{ project: { ...project, data: { source, target: 'y' } } }]),
        await call('exportModel', [
          { project: { ...project, data: { source, target: 'y' } }, onnxPath: 'm.onnx' },
        ]),
      ]) {
        expect(r.status, `${JSON.stringify(source)}: ${r.text}`).toBeGreaterThanOrEqual(400);
        expectError(r, r.status);
        expect(r.text).not.toContain(outside);
      }
    }
    expect((await fs.readdir(outside)).sort()).toEqual(['secret.csv', 'secret.netwright.json']);
  });

  it('property: no generated data source reads, lists or quotes anything outside the workspace', async () => {
    const secretCsv = path.join(outside, 'secret.csv');
    const pad = fc.constantFrom(
      '',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u00a0',
      '\u2028',
      '\ufeff',
      '\u000b',
      '\u0085',
    );
    const sep = fc.constantFrom('/', '//', '/./', '\\');
    const target = fc.oneof(
      fc.constant(secretCsv),
      fc.constant('/etc/passwd'),
      fc.constant(outside),
      fc
        .tuple(fc.integer({ min: 1, max: 4 }), sep)
        .map(([n, s]) => `${'..' + s}`.repeat(n) + 'outside' + s + 'secret.csv'),
      sep.map((s) => `escape${s}secret.csv`),
      fc.constantFrom(
        '%2e%2e/outside/secret.csv',
        '..\u2215outside\u2215secret.csv',
        '\uff0e\uff0e/outside/secret.csv',
        'linked.netwright.json',
      ),
    );
    const source = fc
      .tuple(pad, fc.constantFrom('csv', 'images', 'CSV', 'csv '), pad, target, pad)
      .map(([a, kind, b, t, c]) => `${a}${kind}:${b}${t}${c}`);
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    await fc.assert(
      fc.asyncProperty(source, fc.boolean(), async (src, withProject) => {
        const args: unknown[] = withProject
          ? [{ source: src }, 'projects/iris.netwright.json']
          : [{ source: src }];
        const preview = await call('previewData', args);
        const train = await call('startTraining', [
          { project: { ...project, data: { source: src, target: 'y' } } },
        ]);
        for (const r of [preview, train]) {
          expect(r.status, `${JSON.stringify(src)}: ${r.text}`).toBeGreaterThanOrEqual(400);
          expect(r.text).not.toContain(SECRET);
          expect(r.text).not.toContain('root:x:0:0');
          expect(r.text).not.toContain(outside);
        }
      }),
      { seed: Number(process.env.FC_SEED ?? 20261202), numRuns: 120 },
    );
    expect((await fs.readdir(outside)).sort()).toEqual(['secret.csv', 'secret.netwright.json']);
  }, 120_000);

  it('startTraining refuses a project path or a data source outside', async () => {
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    expectError(
      await call('startTraining', [{ project, projectPath: '../outside/secret.netwright.json' }]),
      403,
      'forbidden',
    );
    for (const source of [
      'csv:../../outside/secret.csv',
      `csv:${path.join(outside, 'secret.csv')}`,
      'csv:../escape/secret.csv',
    ]) {
      const withData = { ...project, data: { source, target: 'y' } };
      expectError(
        await call('startTraining', [{ project: withData, projectPath: 'projects/iris.netwright.json' }]),
        403,
        'forbidden',
      );
      expectError(await call('startTraining', [{ project: withData }]), 403, 'forbidden');
    }
  });

  it('listRuns, exportModel and saveRecovery refuse paths outside', async () => {
    for (const p of escapes()) expectError(await call('listRuns', [p]), 403, 'forbidden');
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    const bad: Record<string, unknown>[] = [
      { project, onnxPath: '../outside/m.onnx' },
      { project, onnxPath: path.join(outside, 'm.onnx') },
      { project, onnxPath: 'escape/m.onnx' },
      { project, tfjsDir: '../outside/tfjs' },
      { project, tfjsDir: 'dangling/tfjs' },
      { runDir: '../outside', onnxPath: 'm.onnx' },
      { project, projectPath: '../outside/secret.netwright.json', onnxPath: 'm.onnx' },
      {
        project: { ...project, data: { source: 'csv:../outside/secret.csv', target: 'y' } },
        onnxPath: 'm.onnx',
      },
    ];
    for (const req of bad) {
      const r = await call('exportModel', [req]);
      expect(
        r.status,
        `${JSON.stringify({ ...req, project: req.project ? '…' : undefined })}: ${r.text}`,
      ).toBe(403);
      expectError(r, 403, 'forbidden');
    }
    expect((await fs.readdir(outside)).sort()).toEqual(['secret.csv', 'secret.netwright.json']);
    expectError(await call('saveRecovery', [project, '../outside/secret.netwright.json']), 403, 'forbidden');
  });

  it('exportTorchPackage and importCheckpoint refuse paths outside', async () => {
    const project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
    const bad: [string, Record<string, unknown>][] = [
      ['exportTorchPackage', { project, outDir: '../outside/pkg' }],
      ['exportTorchPackage', { project, outDir: path.join(outside, 'pkg') }],
      ['exportTorchPackage', { runDir: '../outside', outDir: 'pkg' }],
      ['exportTorchPackage', { project, projectPath: '../outside/secret.netwright.json', outDir: 'pkg' }],
      [
        'exportTorchPackage',
        {
          project: { ...project, data: { source: 'csv:../outside/secret.csv', target: 'y' } },
          outDir: 'pkg',
        },
      ],
      ['importCheckpoint', { packageDir: '../outside', outDir: 'run' }],
      ['importCheckpoint', { packageDir: 'projects', checkpoint: '../../outside', outDir: 'run' }],
      ['importCheckpoint', { packageDir: 'projects', outDir: '../outside/run' }],
    ];
    for (const [method, req] of bad) {
      const r = await call(method, [req]);
      expect(
        r.status,
        `${method} ${JSON.stringify({ ...req, project: req.project ? '…' : undefined })}`,
      ).toBe(403);
      expectError(r, 403, 'forbidden');
    }
    expect((await fs.readdir(outside)).sort()).toEqual(['secret.csv', 'secret.netwright.json']);
  });

  it('error messages name workspace-relative paths, not where the workspace lives', async () => {
    const r = await call('openProject', ['projects/missing.netwright.json']);
    expectError(r, r.status);
    expect(r.text).not.toContain(root);
  });
});

describe('web mode: the static file server', () => {
  it.each([
    '/../../../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%252e%252e/%252e%252e/etc/passwd',
    '/..\\..\\..\\..\\etc\\passwd',
    'OUTSIDE', // the secret project by its absolute location, climbed to with encoded dots
  ])('GET %s serves nothing from outside the app folder', async (p) => {
    const target =
      p === 'OUTSIDE'
        ? `/${'%2e%2e/'.repeat(12)}${path.relative('/', path.join(outside, 'secret.netwright.json'))}`
        : p;
    const r = await request({ method: 'GET', path: target });
    expect(r.text).not.toContain('root:x:0:0');
    expect(r.text).not.toContain(SECRET);
  });

  it('serves the page without the token but no data, with a CSP and no referrer', async () => {
    const r = await request({ method: 'GET', path: '/' });
    expect([200, 503]).toContain(r.status);
    expect(r.text).not.toContain(server.token);
  });
});
