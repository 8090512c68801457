import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/api.ts';
import { loadExample } from '../../engine/examples.ts';
import { listRuns } from '../../engine/runs/run-dir.ts';
import { startTrainingJob, trainingWorkersStarted, type TrainingJob } from '../../engine/train/jobs.ts';
import { trainProject } from '../../engine/train/train-project.ts';

describe('training job in a worker thread', () => {
  // First in this file, so the first job below starts the file's first worker.
  it('a second job reuses the worker of a finished job with the same results; not that of a failed one', async () => {
    const project = await loadExample('iris-mlp');
    let last: TrainingJob | undefined;
    const run = async (p = project) => {
      const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'nw-reuse-')), 'run');
      const events: EngineEvent[] = [];
      const before = last;
      const job = startTrainingJob({ project: p, outDir: out, epochs: 3, seed: 11 }, (e) => events.push(e));
      last = job;
      // A late Stop for the job that ran before in the same worker must not stop this one.
      before?.cancel();
      return { outcome: await job.done, events };
    };
    const fresh = await run();
    expect(trainingWorkersStarted()).toBe(1);
    const again = await run();
    expect(trainingWorkersStarted()).toBe(1);
    expect(again.outcome.status).toBe('complete');
    expect(again.outcome.history.map((e) => e.loss)).toEqual(fresh.outcome.history.map((e) => e.loss));
    expect(again.outcome.metrics).toEqual(fresh.outcome.metrics);
    expect(again.events.filter((e) => e.kind === 'train-finished')).toHaveLength(1);

    const broken = structuredClone(project);
    broken.graph.nodes[1].params.units = 0;
    expect((await run(broken)).outcome.status).toBe('failed');
    expect(trainingWorkersStarted()).toBe(1);
    const afterFailure = await run();
    expect(trainingWorkersStarted()).toBe(2);
    expect(afterFailure.outcome.history.map((e) => e.loss)).toEqual(fresh.outcome.history.map((e) => e.loss));
  });

  it('streams progress while the host event loop stays free, and can be cancelled keeping the best weights', async () => {
    const project = await loadExample('iris-mlp');
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'nw-job-')), 'run');
    const events: EngineEvent[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const job = startTrainingJob({ project, outDir: out, epochs: 5000, batchSize: 8 }, (e) => {
      events.push(e);
      const epochs = events.filter((x) => x.kind === 'train-progress' && x.progress.phase === 'epoch').length;
      if (epochs === 3) job.cancel();
    });
    const outcome = await job.done;
    clearInterval(timer);
    expect(outcome.status).toBe('cancelled');
    expect(events[0]).toMatchObject({ kind: 'train-started', jobId: job.jobId });
    expect(events.some((e) => e.kind === 'train-progress' && e.progress.phase === 'batch')).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'train-finished', status: 'cancelled', runDir: out });
    expect(outcome.history.length).toBeGreaterThanOrEqual(3);
    expect(outcome.history.length).toBeLessThan(5000);
    // The host's timers kept firing while the worker trained.
    expect(ticks).toBeGreaterThan(5);
    const info = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8'));
    expect(info).toMatchObject({ status: 'cancelled', bestEpoch: expect.any(Number) });
    expect((await stat(path.join(out, 'model', 'model.json'))).isFile()).toBe(true);
    expect(JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8')).task).toBe('classification');
  });
});

describe('run folder', () => {
  it('writes every file of the run folder contract and listRuns finds the run beside the project', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-runs-'));
    const projectPath = path.join(dir, 'iris.netwright.json');
    const project = await loadExample('iris-mlp');
    const outcome = await trainProject({ project, projectPath, epochs: 3, seed: 5 });
    expect(outcome.status).toBe('complete');
    expect(path.dirname(outcome.runDir)).toBe(path.join(dir, 'runs'));
    for (const f of [
      'run.json',
      'metrics.json',
      'history.json',
      'project.netwright.json',
      'preprocessing.json',
      'model/model.json',
      'model/weights.bin',
    ]) {
      expect((await stat(path.join(outcome.runDir, f))).size).toBeGreaterThan(0);
    }
    const trained = JSON.parse(await readFile(path.join(outcome.runDir, 'project.netwright.json'), 'utf8'));
    expect(trained.training).toMatchObject({ epochs: 3, seed: 5 });
    const history = JSON.parse(await readFile(path.join(outcome.runDir, 'history.json'), 'utf8'));
    expect(history).toHaveLength(3);
    const info = JSON.parse(await readFile(path.join(outcome.runDir, 'run.json'), 'utf8'));
    expect(info).toMatchObject({
      status: 'complete',
      seed: 5,
      epochsRun: 3,
      backend: { id: expect.any(String) },
    });
    expect(info.timings.totalSec).toBeGreaterThan(0);
    const runs = await listRuns(projectPath);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      runDir: outcome.runDir,
      status: 'complete',
      metrics: { task: 'classification' },
    });
  });

  it('a graph error fails the run with one sentence and marks run.json failed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-fail-'));
    const project = await loadExample('iris-mlp');
    project.graph.nodes[1].params.units = 0;
    const outcome = await trainProject({ project, outDir: dir });
    expect(outcome).toMatchObject({ status: 'failed', failure: 'invalid' });
    expect(outcome.message).toMatch(/d1: .*units/);
    const info = JSON.parse(await readFile(path.join(dir, 'run.json'), 'utf8'));
    expect(info).toMatchObject({ status: 'failed', message: outcome.message });
  });
});
