// No lost work on save: a saving process SIGKILLed at random moments leaves the project file whole
// (the old or the new version, loadable) and `.bak` holding a whole earlier version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readProjectFile, STALE_TEMP_MS, writeFileAtomic } from '../../engine/project/files.ts';
import { projectToText } from '../../engine/project/load.ts';
import type { Project } from '../../engine/project/schema.ts';
import { bigProject, versionOf } from './fixtures/big-project.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'save-loop.ts');
const PROJECT_BYTES = 3_000_000;
const KILLS = 14;

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-atomic-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Whether the process whose id a temp file's name carries (`.<name>.<pid>.<hex>[.bak].tmp`) runs. */
function pidAlive(name: string): boolean {
  const pid = Number(/\.(\d+)\.[0-9a-f]+(\.bak)?\.tmp$/.exec(name)?.[1]);
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

async function loadVersion(file: string): Promise<number> {
  const result = await readProjectFile(file);
  if (!result.ok) throw new Error(`${path.basename(file)} does not load: ${JSON.stringify(result)}`);
  return versionOf(result.project as Project);
}

/** Run the save loop from `start`, SIGKILL it `delayMs` after its first save began; report its output. */
function saveThenKill(
  file: string,
  start: number,
  delayMs: number,
): Promise<{ started: number[]; done: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', FIXTURE, file, String(start), String(PROJECT_BYTES)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!timer && out.includes('start ')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`save loop exited on its own: ${err}`));
      const nums = (word: string) =>
        [...out.matchAll(new RegExp(`^${word} (\\d+)$`, 'gm'))].map((m) => Number(m[1]));
      resolve({ started: nums('start'), done: nums('done') });
    });
  });
}

describe('saving a project survives being killed mid-write', () => {
  it(`leaves the old or the new whole file and a whole .bak, over ${KILLS} random kills`, async () => {
    const file = path.join(dir, 'big.netwright.json');
    // Two clean saves so both the file and its .bak exist from the start.
    await writeFileAtomic(file, projectToText(bigProject(1, PROJECT_BYTES)));
    await writeFileAtomic(file, projectToText(bigProject(2, PROJECT_BYTES)));
    // Measure one save to spread the kill moments across whole save cycles.
    const t0 = performance.now();
    await writeFileAtomic(file, projectToText(bigProject(3, PROJECT_BYTES)));
    const saveMs = Math.max(5, performance.now() - t0);

    let current = await loadVersion(file);
    let tornBak = 0;
    const outcomes: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const delay = Math.random() * saveMs * 3;
      const { started, done } = await saveThenKill(file, current + 1, delay);
      const lastDone = done.length ? Math.max(...done) : current;
      const lastStarted = started.length ? Math.max(...started) : current;

      const now = await loadVersion(file);
      // Every save that returned is on disk; nothing newer than the last save begun can be.
      expect(now).toBeGreaterThanOrEqual(lastDone);
      expect(now).toBeLessThanOrEqual(lastStarted);

      const bak = await loadVersion(`${file}.bak`).catch(() => {
        tornBak++;
        return -1;
      });
      expect(bak, `.bak after kill ${k} must be a whole earlier version`).toBeGreaterThanOrEqual(now - 1);
      expect(bak).toBeLessThanOrEqual(now);
      outcomes.push(`${now - current}`);
      current = now;
    }
    expect(tornBak).toBe(0);
    // The folder holds the project, its backup and possibly temp files of killed saves, never a
    // torn file under the project's own name.
    const names = await fs.readdir(dir);
    expect(names.filter((n) => !n.endsWith('.tmp')).sort()).toEqual([
      'big.netwright.json',
      'big.netwright.json.bak',
    ]);
    // The next save clears the temp files the killed processes left, however recent: all of them,
    // unless the system has since given a killed process's id to a live one (ids wrap around on a
    // machine that has run many processes), when the save takes it for one in flight and leaves it.
    await writeFileAtomic(file, projectToText(bigProject(current + 1, 2000)));
    const left = (await fs.readdir(dir)).filter((n) => !n.endsWith('.tmp') || !pidAlive(n));
    expect(left.sort()).toEqual(['big.netwright.json', 'big.netwright.json.bak']);
  });
});

describe('an invalid project is never written', () => {
  it('saveProject refuses an invalid document and leaves the file, and the folder, as they were', async () => {
    const { createEngine } = await import('../../engine/service.ts');
    const { EngineError } = await import('../../engine/api.ts');
    const engine = createEngine();
    const folder = path.join(dir, 'no-overwrite');
    await fs.mkdir(folder);
    const file = path.join(folder, 'p.netwright.json');
    const good = bigProject(1, 2000);
    await writeFileAtomic(file, projectToText(good));
    const before = await fs.readFile(file);
    const listing = (await fs.readdir(folder)).sort();
    const invalid = [
      { ...good, graph: { ...good.graph, edges: [{ id: 'x', source: 'in', target: 'ghost' }] } },
      { ...good, version: 99 },
      { ...good, graph: { nodes: 'x', edges: [] } },
      null,
      'not a project',
    ];
    for (const doc of invalid) {
      const err = await engine.saveProject(file, doc as Project).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, JSON.stringify(doc)?.slice(0, 80)).toBeInstanceOf(EngineError);
      expect((err as InstanceType<typeof EngineError>).data.code).toBe('invalid');
    }
    expect(Buffer.compare(await fs.readFile(file), before)).toBe(0);
    expect((await fs.readdir(folder)).sort()).toEqual(listing);
  });

  it('opening an invalid or unreadable file writes nothing', async () => {
    const { createEngine } = await import('../../engine/service.ts');
    const engine = createEngine();
    const folder = path.join(dir, 'open-invalid');
    await fs.mkdir(folder);
    const files: Record<string, string | Buffer> = {
      'broken.netwright.json': '{"format": "netwright", "version": 1, "graph": ',
      'invalid.netwright.json': JSON.stringify({
        format: 'netwright',
        version: 1,
        graph: {
          nodes: [
            { id: 'a', type: 'Dense' },
            { id: 'a', type: 'Dense' },
          ],
          edges: [],
        },
      }),
      'latin1.netwright.json': Buffer.from('{"format":"netwright","name":"caf\xe9"}', 'latin1'),
    };
    for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(folder, name), content);
    const stats = async () =>
      Promise.all(Object.keys(files).map(async (n) => (await fs.stat(path.join(folder, n))).mtimeMs));
    const before = await stats();
    for (const name of Object.keys(files)) {
      await expect(engine.openProject(path.join(folder, name))).rejects.toMatchObject({
        data: { code: expect.stringMatching(/^(invalid|unreadable)$/) },
      });
    }
    expect(await stats()).toEqual(before);
    expect((await fs.readdir(folder)).sort()).toEqual(Object.keys(files).sort());
  });
});

describe('leftovers of killed saves', () => {
  it('the next save removes temp files of live processes older than an hour and keeps recent ones (a save may be in flight)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-stale-'));
    const file = path.join(dir, 'p.netwright.json');
    // process.ppid is alive: its temps are removed only once stale.
    const stale = path.join(dir, `.p.netwright.json.${process.ppid}.a1b2c3d4e5f6.tmp`);
    const staleBak = path.join(dir, `.p.netwright.json.${process.ppid}.a1b2c3d4e5f6.bak.tmp`);
    const fresh = path.join(dir, `.p.netwright.json.${process.ppid}.0a0b0c0d0e0f.tmp`);
    const unrelated = path.join(dir, '.other.json.4242.a1b2c3d4e5f6.tmp');
    for (const f of [stale, staleBak, fresh, unrelated]) await fs.writeFile(f, 'partial');
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    for (const f of [stale, staleBak, unrelated]) await fs.utimes(f, old, old);
    await writeFileAtomic(file, '{"saved": true}');
    const left = await fs.readdir(dir);
    expect(left).not.toContain(path.basename(stale));
    expect(left).not.toContain(path.basename(staleBak));
    expect(left).toContain(path.basename(fresh));
    expect(left).toContain(path.basename(unrelated));
    expect(await fs.readFile(file, 'utf8')).toBe('{"saved": true}');
  });
});
