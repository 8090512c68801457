// Web mode against documents and paths built to hurt it, through the real `netwright serve`: a
// deeply nested or inflating project is refused before anything is written (the same limit as
// open), long names and deep folders get one sentence instead of a 500, runs started without a
// project file land in the workspace (not the server's working folder), and events carry
// workspace-relative paths only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, STACK_TRACE, listTree } from '../reliability/helpers/cli.ts';
import {
  callServe,
  listenEvents,
  rawRequest,
  startServe,
  stopServe,
  type Reply,
  type Serve,
} from './helpers/serve.ts';

const EXAMPLE = path.join(REPO, 'resources', 'examples', 'iris-mlp.netwright.json');

let tmp: string;
let root: string;
let server: Serve;
let example: Record<string, unknown>;

beforeAll(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-weblimits-')));
  root = path.join(tmp, 'workspace');
  await fs.mkdir(root);
  example = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
  server = await startServe(['--root', root], tmp);
}, 90_000);

afterAll(async () => {
  await stopServe(server);
  await fs.rm(tmp, { recursive: true, force: true });
});

/** One sentence with a 4xx status, nothing internal, no absolute path. */
function expectSentence(r: Reply, status: number, pattern: RegExp): void {
  expect(r.status, r.text).toBe(status);
  const message = r.json?.error?.message ?? '';
  expect(message, r.text).toMatch(pattern);
  expect(message.split(/[.;:] /).length, 'one sentence').toBeLessThanOrEqual(3);
  expect(r.text).not.toMatch(STACK_TRACE);
  expect(r.text).not.toContain(tmp);
  expect(r.json?.error?.code).not.toBe('internal');
}

/** The request body as text: a project with `extra` spliced in raw (too deep for JSON.stringify). */
const bodyWithExtra = (args: (doc: string) => string, extra: string) =>
  `{"args":${args(JSON.stringify(example).slice(0, -1) + `,"extra":${extra}}`)}}`;

const rawCall = (method: string, body: string): Promise<Reply> =>
  rawRequest({
    port: server.port,
    path: `/api/call/${method}`,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body,
  });

describe('web mode: project documents have one size and depth limit', () => {
  const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);

  it('a 60 KB request nested 10,000 deep is refused with 400 by saveProject, inspect and startTraining; nothing is written', async () => {
    const before = await listTree(root);
    const save = await rawCall(
      'saveProject',
      bodyWithExtra((d) => `["deep.netwright.json",${d}]`, deep),
    );
    expectSentence(save, 400, /nests objects and lists too deeply \(at \[1\]\.extra\.a\.a/);
    const graph = JSON.stringify(example.graph).slice(0, -1) + `,"extra":${deep}}`;
    expectSentence(await rawCall('inspect', `{"args":[${graph}]}`), 400, /too deeply/);
    expectSentence(
      await rawCall(
        'startTraining',
        bodyWithExtra((d) => `[{"project":${d}}]`, deep),
      ),
      400,
      /too deeply/,
    );
    expect(await listTree(root)).toEqual(before);
  });

  it('a 2.4 MB request that would save as ~150 MB is refused before writing; openProject has the same limit', async () => {
    const chains = Array.from({ length: 20_000 }, () => '['.repeat(60) + '0' + ']'.repeat(60)).join(',');
    const r = await rawCall(
      'saveProject',
      bodyWithExtra((d) => `["big.netwright.json",${d}]`, `[${chains}]`),
    );
    expectSentence(r, 400, /more than 64 MB as a saved file; project files are limited to 64 MB/);
    await expect(fs.readdir(root)).resolves.not.toContain('big.netwright.json');
    // Written compactly by someone else, the same document is refused on open with the same words.
    await fs.writeFile(
      path.join(root, 'compact.netwright.json'),
      JSON.stringify(example).slice(0, -1) + `,"extra":[${chains}]}`,
    );
    const open = await callServe(server, 'openProject', ['compact.netwright.json']);
    expectSentence(open, 422, /more than 64 MB as a saved file/);
  });

  it('a project just inside the depth limit saves and opens back unchanged', async () => {
    const nested = JSON.parse('{"a":'.repeat(62) + '1' + '}'.repeat(62)) as unknown;
    const doc = { ...example, extra: nested };
    const save = await callServe(server, 'saveProject', ['ok.netwright.json', doc]);
    expect(save.status, save.text).toBe(200);
    const open = await callServe(server, 'openProject', ['ok.netwright.json']);
    expect(open.status, open.text).toBe(200);
    expect((open.json!.result as { extra: unknown }).extra).toEqual(nested);
  });
});

describe('web mode: file names the file system cannot hold', () => {
  it('a 300-character name gets one sentence (400 on save, 422 on open), not a 500', async () => {
    const long = `${'n'.repeat(300)}.netwright.json`;
    expectSentence(
      await callServe(server, 'saveProject', [long, example]),
      400,
      /file name or path is too long/,
    );
    expectSentence(await callServe(server, 'openProject', [long]), 422, /file name or path is too long/);
  });

  it('a name that fits but leaves no room for the temp file still saves', async () => {
    const name = `${'m'.repeat(235)}.netwright.json`;
    const r = await callServe(server, 'saveProject', [name, example]);
    expect(r.status, r.text).toBe(200);
    expect((await callServe(server, 'openProject', [name])).status).toBe(200);
  });

  it('a path with a 4,000-byte folder chain gets one sentence, not a 500', async () => {
    const deepPath = `${'deep-folder/'.repeat(340)}p.netwright.json`;
    expectSentence(await callServe(server, 'saveProject', [deepPath, example]), 400, /too long/);
  });
});

describe('web mode: runs and events stay in the workspace', () => {
  it('startTraining without a project file writes the run under --root, and events name it relatively', async () => {
    const events = await listenEvents(server);
    try {
      const project = { ...example, training: { ...(example.training as object), epochs: 1 } };
      const r = await callServe(server, 'startTraining', [{ project }]);
      expect(r.status, r.text).toBe(200);
      const { jobId } = r.json!.result as { jobId: string };
      const finished = await events.until((e) => e.kind === 'train-finished' && e.jobId === jobId);
      const started = events.events.find((e) => e.kind === 'train-started' && e.jobId === jobId);
      expect(finished).toMatchObject({ status: 'complete', runDir: expect.stringMatching(/^runs\/[^/]+$/) });
      expect(started).toMatchObject({ runDir: (finished as { runDir: string }).runDir });
      const runDir = path.join(root, (finished as { runDir: string }).runDir);
      await expect(fs.readFile(path.join(runDir, 'run.json'), 'utf8')).resolves.toMatch(/"complete"/);
      // Nothing in the server's own working folder but the workspace and NETWRIGHT_HOME.
      expect((await fs.readdir(tmp)).filter((n) => n !== 'home').sort()).toEqual(['workspace']);
      for (const text of events.raw) expect(text).not.toContain(tmp);
    } finally {
      events.close();
    }
  }, 120_000);

  it('a failed run names its data folder relative to the workspace', async () => {
    const events = await listenEvents(server);
    try {
      const project = {
        ...example,
        graph: {
          nodes: [
            { id: 'in', type: 'Input', params: { shape: [8, 8, 1] } },
            { id: 'f', type: 'Flatten', params: {} },
            { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
            { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
          ],
          edges: [
            { id: 'e1', source: 'in', target: 'f' },
            { id: 'e2', source: 'f', target: 'd' },
            { id: 'e3', source: 'd', target: 'out' },
          ],
        },
        data: { source: 'images:data/no-such-folder' },
      };
      const r = await callServe(server, 'startTraining', [{ project }]);
      expect(r.status, r.text).toBe(200);
      const { jobId } = r.json!.result as { jobId: string };
      const finished = await events.until((e) => e.kind === 'train-finished' && e.jobId === jobId);
      expect(finished).toMatchObject({
        status: 'failed',
        message: expect.stringContaining('image folder data/no-such-folder does not exist'),
      });
      for (const text of events.raw) expect(text).not.toContain(tmp);
    } finally {
      events.close();
    }
  }, 120_000);
});
