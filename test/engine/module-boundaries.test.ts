// The layout of DESIGN §1: the two hosts (server/ for web mode, electron/ for the desktop app) are
// thin and share only the engine, so neither imports from the other; the engine imports neither
// host nor any UI or HTTP framework. Checked on the import statements of the real source files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'dist' && e.name !== 'node_modules') out.push(...(await sourceFiles(rel)));
    } else if (/\.(ts|tsx|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Every module specifier a file imports (static, dynamic and re-exports), resolved to a repo path when relative. */
async function importsOf(file: string): Promise<string[]> {
  const text = await fs.readFile(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((s) =>
    s.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)) : s,
  );
}

async function offending(dir: string, forbidden: (spec: string) => boolean): Promise<string[]> {
  const bad: string[] = [];
  for (const file of await sourceFiles(dir))
    for (const spec of await importsOf(file)) if (forbidden(spec)) bad.push(`${file} imports ${spec}`);
  return bad;
}

const under = (folder: string) => (spec: string) => spec === folder || spec.startsWith(`${folder}/`);

describe('module boundaries', () => {
  it('electron/ does not import from server/ (what both hosts share lives in engine/)', async () => {
    expect(await offending('electron', under('server'))).toEqual([]);
  });

  it('server/ does not import from electron/', async () => {
    expect(await offending('server', under('electron'))).toEqual([]);
  });

  it('engine/ imports no host, no renderer and no UI or HTTP framework', async () => {
    const framework = /^(react|react-dom|@xyflow\/react|zustand|electron|ws|express)(\/|$)/;
    expect(
      await offending(
        'engine',
        (s) => under('server')(s) || under('electron')(s) || under('renderer')(s) || framework.test(s),
      ),
    ).toEqual([]);
  });
});
