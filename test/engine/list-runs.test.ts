// listRuns tells this project's runs from those of other projects saved in the same folder, and
// carries what the Runs tab compares: settings and the per-epoch loss curve. Real training, real files.
import { copyFile, mkdtemp, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/api.ts';
import { loadExample } from '../../engine/examples.ts';
import { createEngine } from '../../engine/service.ts';

it('marks the runs of this project, with settings and loss curves', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-list-runs-'));
  const a = path.join(dir, 'a.netwright.json');
  const b = path.join(dir, 'b.netwright.json');
  await copyFile('resources/examples/iris-mlp.netwright.json', a);
  await copyFile('resources/examples/iris-mlp.netwright.json', b);
  const engine = createEngine({ root: dir });
  const done: EngineEvent[] = [];
  engine.subscribe((e) => e.kind === 'train-finished' && done.push(e));
  const project = await loadExample('iris-mlp');
  await engine.startTraining({ project, projectPath: a, epochs: 2 });
  await expect.poll(() => done.length, { timeout: 60_000 }).toBe(1);
  await engine.startTraining({ project: { ...project, name: 'B' }, projectPath: b, epochs: 3 });
  await expect.poll(() => done.length, { timeout: 60_000 }).toBe(2);

  // Asked about a (also through a symlink to it), the folder's runs are both listed, a's marked.
  await symlink(a, path.join(dir, 'link.netwright.json'));
  for (const asked of [a, path.join(dir, 'link.netwright.json')]) {
    const runs = await engine.listRuns(asked);
    expect(runs).toHaveLength(2);
    const mine = runs.filter((r) => r.ofThisProject);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ projectName: project.name, settings: { epochs: 2, epochsRun: 2 } });
    expect(mine[0].curve.map((p) => p.epoch)).toEqual([1, 2]);
    expect(mine[0].curve.every((p) => Number.isFinite(p.loss))).toBe(true);
    const other = runs.find((r) => !r.ofThisProject)!;
    expect(other).toMatchObject({ projectName: 'B', settings: { epochs: 3 } });
    expect(other.curve).toHaveLength(3);
  }
}, 120_000);
