import { copyFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/api.ts';
import { loadExample } from '../../engine/examples.ts';
import { createEngine } from '../../engine/service.ts';

describe('EngineApi training', () => {
  it('startTraining emits started / progress / finished events and listRuns lists the run', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-api-train-'));
    const projectPath = path.join(dir, 'iris.netwright.json');
    await copyFile('resources/examples/iris-mlp.netwright.json', projectPath);
    const engine = createEngine({ root: dir });
    const events: EngineEvent[] = [];
    const finished = new Promise<EngineEvent>((resolve) =>
      engine.subscribe((e) => {
        events.push(e);
        if (e.kind === 'train-finished') resolve(e);
      }),
    );
    const { jobId } = await engine.startTraining({
      project: await loadExample('iris-mlp'),
      projectPath,
      epochs: 3,
    });
    const end = await finished;
    expect(end).toMatchObject({
      kind: 'train-finished',
      jobId,
      status: 'complete',
      metrics: { task: 'classification' },
    });
    expect(events.filter((e) => e.kind === 'train-progress' && e.progress.phase === 'epoch')).toHaveLength(3);
    const runs = await engine.listRuns(projectPath);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'complete', runDir: (end as { runDir: string }).runDir });
    await engine.stopTraining(jobId); // already finished: not an error
  });
});
