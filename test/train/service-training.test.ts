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

  it('one run per project: a second start while it trains follows the same job, and one run folder is written', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-api-one-run-'));
    const projectPath = path.join(dir, 'iris.netwright.json');
    await copyFile('resources/examples/iris-mlp.netwright.json', projectPath);
    // Unsaved projects' runs go to the workspace's runs/: a folder apart from the project's.
    const engine = createEngine({ root: await mkdtemp(path.join(os.tmpdir(), 'nw-api-one-run-ws-')) });
    const finished: EngineEvent[] = [];
    let firstBatch!: () => void;
    const batching = new Promise<void>((resolve) => (firstBatch = resolve));
    engine.subscribe((e) => {
      if (e.kind === 'train-finished') finished.push(e);
      if (e.kind === 'train-progress') firstBatch();
    });
    const project = await loadExample('iris-mlp');
    const first = await engine.startTraining({ project, projectPath, epochs: 100_000 });
    await batching;
    const again = await engine.startTraining({ project, projectPath, epochs: 100_000 });
    expect(again).toEqual({ jobId: first.jobId, attached: true });
    // An unsaved project is "the same" by content: two starts of it also share one job.
    const unsaved = await engine.startTraining({
      project: { ...project, name: 'Unsaved twin' },
      epochs: 100_000,
    });
    const unsavedAgain = await engine.startTraining({
      project: { ...project, name: 'Unsaved twin' },
      epochs: 100_000,
    });
    expect(unsaved.jobId).not.toBe(first.jobId);
    expect(unsavedAgain).toEqual({ jobId: unsaved.jobId, attached: true });

    await engine.stopTraining(first.jobId);
    await engine.stopTraining(unsaved.jobId);
    // Train right after Stop: a new run, not the one that is stopping.
    const afterStop = await engine.startTraining({
      project: { ...project, name: 'Unsaved twin' },
      epochs: 1,
    });
    expect(afterStop.jobId).not.toBe(unsaved.jobId);
    expect(afterStop.attached).toBeUndefined();
    await expect.poll(() => finished.length, { timeout: 60_000 }).toBe(3);
    expect(finished.map((e) => (e as { status: string }).status).sort()).toEqual([
      'cancelled',
      'cancelled',
      'complete',
    ]);
    expect(await engine.listRuns(projectPath)).toHaveLength(1);

    // Once it has finished, a start is a new run.
    const next = await engine.startTraining({ project, projectPath, epochs: 1 });
    expect(next.jobId).not.toBe(first.jobId);
    expect(next.attached).toBeUndefined();
    await expect.poll(() => finished.length, { timeout: 60_000 }).toBe(4);
    expect(await engine.listRuns(projectPath)).toHaveLength(2);
  }, 120_000);
});
