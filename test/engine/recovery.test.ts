// Crash recovery per editing session: two windows or tabs autosave without overwriting each other,
// every recovery is offered back newest first, the old single recovery file is still read, and a
// save or a discard removes only that session's recovery. Real files in a temp NETWRIGHT_HOME.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/service.ts';
import { loadExample } from '../../engine/examples.ts';
import { LEGACY_RECOVERY_ID, recoveryDir, recoveryFile } from '../../engine/project/recovery.ts';
import type { Project } from '../../engine/project/schema.ts';

let home: string;
const saved = process.env.NETWRIGHT_HOME;
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'netwright-recovery-'));
  process.env.NETWRIGHT_HOME = home;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.NETWRIGHT_HOME;
  else process.env.NETWRIGHT_HOME = saved;
  await fs.rm(home, { recursive: true, force: true });
});

const named = async (id: string, name: string): Promise<Project> => ({ ...(await loadExample(id)), name });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('crash recovery per editing session', () => {
  it('keeps two sessions apart and offers both back, newest first', async () => {
    const engine = createEngine();
    const irisEdit = await named('iris-mlp', 'Iris, tab A');
    const mnistEdit = await named('mnist-cnn', 'MNIST, tab B');
    await engine.saveRecovery(irisEdit, '/work/iris.netwright.json', 'tab-a');
    await tick();
    await engine.saveRecovery(mnistEdit, '/work/mnist.netwright.json', 'tab-b');

    const offers = await engine.listRecoveries();
    expect(offers.map((o) => [o.id, o.project.name, o.projectPath])).toEqual([
      ['tab-b', 'MNIST, tab B', '/work/mnist.netwright.json'],
      ['tab-a', 'Iris, tab A', '/work/iris.netwright.json'],
    ]);
    expect(offers[1].project.graph).toEqual(irisEdit.graph);
    expect((await engine.loadRecovery())?.id).toBe('tab-b');

    // Tab A autosaves again: it is now the newest, and tab B's recovery is untouched.
    await tick();
    await engine.saveRecovery({ ...irisEdit, name: 'Iris, tab A, later' }, undefined, 'tab-a');
    expect((await engine.listRecoveries()).map((o) => o.project.name)).toEqual([
      'Iris, tab A, later',
      'MNIST, tab B',
    ]);
  });

  it('a save (null) or a discard removes only that session’s recovery', async () => {
    const engine = createEngine();
    await engine.saveRecovery(await named('iris-mlp', 'A'), undefined, 'tab-a');
    await engine.saveRecovery(await named('iris-mlp', 'B'), undefined, 'tab-b');
    await engine.saveRecovery(await named('iris-mlp', 'C'), undefined, 'tab-c');
    await engine.saveRecovery(await named('iris-mlp', 'B again'), undefined, 'tab-b');

    await engine.saveRecovery(null, undefined, 'tab-a');
    await engine.discardRecovery('tab-c');
    expect((await engine.listRecoveries()).map((o) => [o.id, o.project.name])).toEqual([
      ['tab-b', 'B again'],
    ]);
    // Nothing of the removed sessions is left behind, backups included.
    expect((await fs.readdir(recoveryDir())).sort()).toEqual([
      'tab-b.netwright.json',
      'tab-b.netwright.json.bak',
    ]);
  });

  it('still offers the single recovery file of older versions, and discards it by its id', async () => {
    const engine = createEngine();
    const old = await named('iris-mlp', 'From an older version');
    await fs.writeFile(
      recoveryFile(),
      JSON.stringify({
        project: old,
        projectPath: '/work/old.netwright.json',
        savedAt: '2024-01-02T03:04:05.000Z',
      }),
    );
    await engine.saveRecovery(await named('iris-mlp', 'Current'), undefined, 'tab-a');

    const offers = await engine.listRecoveries();
    expect(offers.map((o) => [o.id, o.project.name])).toEqual([
      ['tab-a', 'Current'],
      [LEGACY_RECOVERY_ID, 'From an older version'],
    ]);
    expect(offers[1]).toMatchObject({
      projectPath: '/work/old.netwright.json',
      savedAt: '2024-01-02T03:04:05.000Z',
    });

    await engine.discardRecovery(LEGACY_RECOVERY_ID);
    await expect(fs.access(recoveryFile())).rejects.toThrow();
    expect((await engine.listRecoveries()).map((o) => o.id)).toEqual(['tab-a']);
  });

  it('skips unusable recovery files and refuses session ids that could name other files', async () => {
    const engine = createEngine();
    await fs.mkdir(recoveryDir(), { recursive: true });
    await fs.writeFile(path.join(recoveryDir(), 'broken.netwright.json'), '{"project": {"graph": 1}');
    await engine.saveRecovery(await named('iris-mlp', 'Good'), undefined, 'tab-a');
    expect((await engine.listRecoveries()).map((o) => o.id)).toEqual(['tab-a']);

    for (const id of ['../escape', 'a/b', '', 'x'.repeat(65)]) {
      await expect(engine.saveRecovery(await named('iris-mlp', 'Bad'), undefined, id)).rejects.toMatchObject({
        data: { code: 'invalid' },
      });
      await expect(engine.discardRecovery(id)).rejects.toMatchObject({ data: { code: 'invalid' } });
    }
    expect(await fs.readdir(home)).toEqual(['recovery']);
  });
});
