// Admission control through the real engine (real training workers): with one slot, a second
// training waits and hears "queued, position N", a start past the waiting limit is refused with a
// sentence saying why, a waiting job can be stopped without ever starting, and a waiting job starts
// as soon as the slot frees.
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/api.ts';
import { loadExample } from '../../engine/examples.ts';
import { createEngine } from '../../engine/service.ts';

describe('training admission', () => {
  it('queues past the concurrency, reports positions, refuses past the waiting limit, starts in turn', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'nw-admission-'));
    const engine = createEngine({ root, trainingConcurrency: 1, maxWaitingTrainings: 1 });
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    const saw = (p: (e: EngineEvent) => boolean) =>
      expect.poll(() => events.some(p), { timeout: 60_000 }).toBe(true);
    const example = await loadExample('iris-mlp');
    const project = (name: string) => ({ ...example, name });

    const a = await engine.startTraining({ project: project('A'), epochs: 100_000 });
    await saw((e) => e.kind === 'train-started' && e.jobId === a.jobId);
    const b = await engine.startTraining({ project: project('B'), epochs: 100_000 });
    await saw((e) => e.kind === 'train-queued' && e.jobId === b.jobId);
    expect(events.find((e) => e.kind === 'train-queued' && e.jobId === b.jobId)).toMatchObject({
      position: 1,
      running: 1,
      concurrency: 1,
    });

    // One running, one waiting: a third is refused, and says why.
    await expect(engine.startTraining({ project: project('C'), epochs: 1 })).rejects.toMatchObject({
      data: {
        code: 'unavailable',
        message:
          '1 training is already waiting for the 1 that runs at a time; start this one when one of them has finished.',
      },
    });

    // Stopping a waiting job finishes it without a run folder.
    await engine.stopTraining(b.jobId);
    await saw((e) => e.kind === 'train-finished' && e.jobId === b.jobId && e.status === 'cancelled');
    expect(events.some((e) => e.kind === 'train-started' && e.jobId === b.jobId)).toBe(false);

    // The next one waits, then starts as soon as A stops.
    const c = await engine.startTraining({ project: project('C'), epochs: 1 });
    await saw((e) => e.kind === 'train-queued' && e.jobId === c.jobId && e.position === 1);
    await engine.stopTraining(a.jobId);
    await saw((e) => e.kind === 'train-finished' && e.jobId === c.jobId && e.status === 'complete');
    const order = events
      .filter((e) => e.kind === 'train-finished' || e.kind === 'train-started')
      .map((e) => `${e.kind}:${e.jobId === a.jobId ? 'A' : e.jobId === b.jobId ? 'B' : 'C'}`);
    expect(order.indexOf('train-finished:A')).toBeLessThan(order.indexOf('train-started:C'));
    // Runs of A (cancelled) and C; none of B.
    expect(await readdir(path.join(root, 'runs'))).toHaveLength(2);
  }, 120_000);
});
