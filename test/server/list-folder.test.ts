// The workspace file picker's listing (EngineApi.listFolder) through the real `netwright serve`
// process: what a folder holds and what each entry is, and confinement — nothing outside the
// workspace is listed or listable, links out are left out, the workspace's own location never shows.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolderListing } from '../../engine/api.ts';
import { rawRequest, startServe, stopServe, type Reply, type Serve } from '../security/helpers/serve.ts';

let tmp: string;
let root: string;
let outside: string;
let server: Serve;

const call = (args: unknown[]): Promise<Reply> =>
  rawRequest({
    port: server.port,
    path: '/api/call/listFolder',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ args }),
  });

async function list(folder?: string): Promise<FolderListing> {
  const r = await call([folder === undefined ? {} : { folder }]);
  expect(r.status, r.text).toBe(200);
  expect(r.text).not.toContain(tmp);
  return r.json!.result as FolderListing;
}

const names = (l: FolderListing) => l.entries.map((e) => `${e.kind}:${e.name}`);

beforeAll(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-listfolder-')));
  root = path.join(tmp, 'workspace');
  outside = path.join(tmp, 'outside');
  const touch = async (file: string, text = 'x') => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  };
  await touch(path.join(root, 'data', 'iris.csv'), 'a,b\n1,2\n');
  await touch(path.join(root, 'data', 'notes.txt'));
  await touch(path.join(root, 'parts', 'ok', 'p1.png'));
  await touch(path.join(root, 'parts', 'scratch', 'p2.jpg'));
  await touch(path.join(root, 'models', 'model.onnx'));
  await touch(path.join(root, 'models', 'web', 'model.json'));
  await touch(path.join(root, 'iris.netwright.json'), '{}');
  await touch(path.join(root, '.hidden', 'secret.csv'));
  await fs.mkdir(path.join(root, 'empty'));
  await touch(path.join(outside, 'secret.csv'), 'secret,1\n');
  await touch(path.join(outside, 'cls', 'x.png'));
  await fs.symlink(outside, path.join(root, 'link-out'));
  await fs.symlink(path.join(outside, 'secret.csv'), path.join(root, 'data', 'secret-link.csv'));
  await fs.symlink(path.join(outside, 'gone.csv'), path.join(root, 'data', 'dangling-out.csv'));
  await fs.symlink(path.join(root, 'data'), path.join(root, 'link-in'));
  server = await startServe(['--root', root], tmp);
}, 120_000);

afterAll(async () => {
  await stopServe(server);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('listFolder through netwright serve', () => {
  it('lists the workspace: folders first, each file by what it is, hidden names and other files left out', async () => {
    const top = await list();
    expect(top.folder).toBe('.');
    expect(top.parent).toBeUndefined();
    expect(top.truncated).toBe(false);
    expect(names(top)).toEqual([
      'folder:data',
      'folder:empty',
      'folder:link-in',
      'folder:models',
      'image-folder:parts',
      'project:iris.netwright.json',
    ]);
    const data = await list('data');
    expect(data.parent).toBe('.');
    expect(data.entries).toEqual([{ name: 'iris.csv', path: 'data/iris.csv', kind: 'csv' }]);
    expect(names(await list('models'))).toEqual(['folder:web', 'onnx:model.onnx']);
    expect(names(await list('models/web'))).toEqual(['tfjs-model:model.json']);
    expect(names(await list('parts/ok'))).toEqual(['image:p1.png']);
    expect((await list('parts')).parent).toBe('.');
  });

  it('a link that stays inside is listed under its own name; links out (files, folders, dangling) are not', async () => {
    const top = await list();
    expect(top.entries.find((e) => e.name === 'link-out')).toBeUndefined();
    const viaLink = await list('link-in');
    expect(viaLink.entries.map((e) => e.name)).toEqual(['iris.csv']);
    const data = await list('data');
    expect(data.entries.map((e) => e.name)).not.toContain('secret-link.csv');
    expect(data.entries.map((e) => e.name)).not.toContain('dangling-out.csv');
  });

  it('refuses folders outside the workspace with 403 and one sentence that shows no location', async () => {
    for (const folder of ['..', '../outside', outside, 'link-out', 'link-out/cls', '/etc', 'data/../..']) {
      const r = await call([{ folder }]);
      expect(r.status, `${folder}: ${r.text}`).toBe(403);
      expect(r.json!.error!.code).toBe('forbidden');
      expect(r.text).not.toContain(root);
      expect(r.text).not.toContain('secret');
    }
  });

  it('a missing folder or a file is not-found; a client cannot widen the listing with `within`', async () => {
    const missing = await call([{ folder: 'nope' }]);
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain(root);
    expect((await call([{ folder: 'data/iris.csv' }])).status).toBe(404);
    const widened = await call([{ folder: '.', within: [outside] }]);
    expect(widened.status).toBe(400);
  });
});
