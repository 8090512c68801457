// resolveInside: the path guard every file-taking entry point relies on (web-mode workspace root,
// a project's data folder). Real files and real symlinks in a temp folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PathOutsideRootError,
  isInside,
  resolveInside,
  resolveInsideSync,
} from '../../engine/safety/paths.ts';
import { parseSource } from '../../engine/data/load.ts';
import { DataError } from '../../engine/data/types.ts';

let base: string;
let root: string;
let outside: string;

beforeAll(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-paths-')));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await fs.mkdir(path.join(root, 'sub'), { recursive: true });
  await fs.mkdir(outside);
  await fs.writeFile(path.join(root, 'sub', 'a.csv'), 'x\n1\n');
  await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
  await fs.symlink(outside, path.join(root, 'link-out')); // folder symlink leaving the root
  await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt')); // file symlink
  await fs.symlink(path.join(root, 'sub'), path.join(root, 'link-in')); // stays inside: allowed
  await fs.symlink(path.join(base, 'root-sibling'), path.join(root, 'dangling-out')); // to a missing place outside
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

const both = async (p: string) => {
  const asyncResult = await resolveInside(root, p).then(
    (r) => ({ ok: true as const, r }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  let syncResult: typeof asyncResult;
  try {
    syncResult = { ok: true, r: resolveInsideSync(root, p) };
  } catch (e) {
    syncResult = { ok: false, e };
  }
  expect(syncResult.ok).toBe(asyncResult.ok);
  return asyncResult;
};

describe('resolveInside', () => {
  it.each([
    ['sub/a.csv', 'sub/a.csv'],
    ['./sub/../sub/a.csv', 'sub/a.csv'],
    ['sub/new-file.json', 'sub/new-file.json'], // does not exist yet: a save target
    ['new-folder/deeper/x.json', 'new-folder/deeper/x.json'],
    ['link-in/a.csv', 'sub/a.csv'], // symlink that stays inside resolves to the real file
    ['..foo', '..foo'], // a name starting with two dots is not a step up
    ['%2e%2e/x', '%2e%2e/x'], // JSON arguments are literal; decoding is the HTTP layer's job
  ])('allows %s', async (p, expected) => {
    const result = await both(p);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.r).toBe(path.join(root, expected));
  });

  it('allows an absolute path that lies inside the root', async () => {
    expect(await resolveInside(root, path.join(root, 'sub', 'a.csv'))).toBe(path.join(root, 'sub', 'a.csv'));
  });

  it.each([
    '../outside/secret.txt',
    '../../etc/passwd',
    'sub/../../outside/secret.txt',
    '/etc/passwd',
    '..',
    'link-out/secret.txt', // through a folder symlink
    'link-out/new.json', // writing through a folder symlink
    'secret-link.txt', // a file symlink
    'dangling-out/x.json', // symlink to a place outside that does not exist yet
    'sub/a.csv\0.png', // NUL byte
  ])('refuses %s with a forbidden error', async (p) => {
    const result = await both(p);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.e).toBeInstanceOf(PathOutsideRootError);
      expect((result.e as PathOutsideRootError).data.code).toBe('forbidden');
      expect((result.e as Error).message).toMatch(/outside the allowed folder/);
      expect((result.e as Error).message).not.toContain('\0');
    }
  });

  it('refuses a root that is itself reached through a symlink only by its real path', async () => {
    const alias = path.join(base, 'root-alias');
    await fs.symlink(root, alias);
    expect(await resolveInside(alias, 'sub/a.csv')).toBe(path.join(root, 'sub', 'a.csv'));
    await expect(resolveInside(alias, '../outside/secret.txt')).rejects.toBeInstanceOf(PathOutsideRootError);
  });

  it('refuses non-strings and empty paths with an invalid error', async () => {
    for (const bad of ['', 42, null, undefined, ['a']]) {
      await expect(resolveInside(root, bad as string)).rejects.toMatchObject({ data: { code: 'invalid' } });
    }
  });

  it('isInside is lexical and handles prefixes correctly', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
  });
});

describe('project data sources stay inside the project folder', () => {
  it.each([
    'csv:../../etc/passwd',
    'csv:sub/../../outside/secret.txt',
    'images:../outside',
    'csv:link-out/secret.txt',
  ])('refuses %s', (source) => {
    let thrown: unknown;
    try {
      parseSource(source, root);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DataError);
    expect((thrown as Error).message).toMatch(/points outside the project's folder/);
  });

  it('leaves absolute paths to the host policy (web mode and the desktop app confine them)', () => {
    expect(parseSource('csv:/data/x.csv', root)).toEqual({ kind: 'csv', file: path.resolve('/data/x.csv') });
  });

  it('accepts data inside it', () => {
    expect(parseSource('csv:sub/a.csv', root)).toEqual({
      kind: 'csv',
      file: path.join(root, 'sub', 'a.csv'),
    });
  });
});
