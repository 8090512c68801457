// The layering of docs/ARCHITECTURE.md: the two hosts (server/ for web mode, electron/ for the
// desktop app) are thin and share only the engine, so neither imports from the other; the engine
// imports neither host nor any UI or HTTP framework; layer specs import no exporter and no tfjs
// runtime (exporters find layers by type name), so the renderer's layer registry pulls neither
// tfjs nor the ONNX protobuf library. Checked on the import statements of the real source files.
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

/**
 * Every module specifier a file imports (static, dynamic and re-exports), resolved to a repo path
 * when relative. With `valuesOnly`, `import type` / `export type` statements are left out (they
 * vanish at run time).
 */
async function importsOf(file: string, valuesOnly = false): Promise<string[]> {
  let text = await fs.readFile(path.join(ROOT, file), 'utf8');
  if (valuesOnly) text = text.replace(/(?:import|export)\s+type\s[^;]*?from\s+['"][^'"]+['"]/g, '');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((s) =>
    s.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)) : s,
  );
}

async function offending(
  dir: string,
  forbidden: (spec: string) => boolean,
  valuesOnly = false,
): Promise<string[]> {
  const bad: string[] = [];
  for (const file of await sourceFiles(dir))
    for (const spec of await importsOf(file, valuesOnly))
      if (forbidden(spec)) bad.push(`${file} imports ${spec}`);
  return bad;
}

/** Every repo file reachable from `entry` through value imports (what a bundler would pull in). */
async function valueClosure(entry: string): Promise<{ files: Set<string>; packages: Set<string> }> {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of await importsOf(file, true)) {
      // Relative imports were resolved to repo paths; anything else is a package.
      if (/^(engine|renderer|cli|server|electron)\//.test(spec)) queue.push(spec);
      else packages.add(spec);
    }
  }
  return { files, packages };
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

  it('engine/layers/ imports no exporter, importer, compiler or trainer, and tfjs for its types only', async () => {
    const exporters = [
      'engine/onnx',
      'engine/pytorch',
      'engine/export',
      'engine/import',
      'engine/compile',
      'engine/train',
    ];
    expect(await offending('engine/layers', (s) => exporters.some((d) => under(d)(s)))).toEqual([]);
    expect(
      await offending('engine/layers', (s) => s.startsWith('@tensorflow/') || /^onnx/.test(s), true),
    ).toEqual([]);
  });

  it("the renderer's layer registry pulls in no tfjs, ONNX or protobuf code", async () => {
    const { files, packages } = await valueClosure('engine/layers/registry.ts');
    expect([...files].filter((f) => !f.startsWith('engine/layers/'))).toEqual([]);
    expect([...packages]).toEqual([]);
  });

  it('source comments point at docs inside the repository, not at an outside design document', async () => {
    const outside: string[] = [];
    for (const dir of ['engine', 'cli', 'server', 'electron', 'renderer', 'test'])
      for (const file of await sourceFiles(dir)) {
        const text = await fs.readFile(path.join(ROOT, file), 'utf8');
        if (/DESIGN §\d/.test(text)) outside.push(file);
      }
    expect(outside).toEqual([]);
  });
});
