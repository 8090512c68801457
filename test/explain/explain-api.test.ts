// EngineApi.explain through web mode's real HTTP host: a run inside the workspace is explained,
// paths outside it are refused before the engine reads anything, and bad arguments get one
// sentence naming the argument.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PermutationResult } from '../../engine/explain/types.ts';
import { createEngine } from '../../engine/service.ts';
import { startServer, type RunningServer } from '../../server/http.ts';
import { netwright } from '../cli/run-cli.ts';
import { syntheticCsv, tableProject, writeProject } from './tables.ts';

let tmp: string;
let root: string;
let server: RunningServer;

async function call(method: string, args: unknown[]) {
  const res = await fetch(`${server.origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ args }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { result?: unknown; error?: { code: string; message: string } },
  };
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-explain-api-'));
  root = path.join(tmp, 'workspace');
  await fs.mkdir(root);
  await fs.writeFile(path.join(root, 'data.csv'), syntheticCsv(300, 1));
  await writeProject(root, tableProject(), 'known.netwright.json');
  const trained = await netwright(
    'train',
    path.join(root, 'known.netwright.json'),
    '--out',
    path.join(root, 'run'),
    '--epochs',
    '5',
  );
  expect(trained.code, trained.stderr).toBe(0);
  await fs.mkdir(path.join(tmp, 'outside'));
  await fs.cp(path.join(root, 'run'), path.join(tmp, 'outside', 'run'), { recursive: true });
  process.env.NETWRIGHT_HOME = path.join(tmp, 'home');
  server = await startServer({
    root,
    port: 0,
    staticDir: path.join(tmp, 'no-dist'),
    engine: createEngine({ root }),
    log: () => {},
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('EngineApi.explain in web mode', () => {
  it('explains a run in the workspace by its relative path', async () => {
    const res = await call('explain', [{ runDir: 'run' }]);
    expect(res.status).toBe(200);
    const result = res.body.result as PermutationResult;
    expect(result.method).toBe('permutation');
    expect(result.features.map((f) => f.name).sort()).toEqual([
      'c0',
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
      'c7',
    ]);
  });

  it('refuses runs and files outside the workspace, and names a bad argument', async () => {
    expect((await call('explain', [{ runDir: '../outside/run' }])).status).toBe(403);
    expect((await call('explain', [{ runDir: path.join(tmp, 'outside/run') }])).status).toBe(403);
    expect((await call('explain', [{ runDir: 'run', file: '../outside/run/run.json' }])).status).toBe(403);
    const bad = await call('explain', [{ runDir: 'run', method: 'lime' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/^explain: argument 0\.method /);
    const unfit = await call('explain', [{ runDir: 'run', method: 'gradCam' }]);
    expect(unfit.body.error).toMatchObject({ code: 'invalid' });
    expect(unfit.body.error?.message).toMatch(/^gradCam explains image models; /);
    expect(unfit.body.error?.message).not.toContain(root);
  });
});
