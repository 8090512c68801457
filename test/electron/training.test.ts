// A training job started over the desktop app's IPC handlers (real engine in its worker thread,
// real tfjs): progress streams to the renderer, Stop cancels it, and the main event loop never runs
// code for more than 100 ms at a stretch (the window never freezes).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/api.ts';
import { watchEventLoop, type LoopFigures } from '../support/event-loop-watch.ts';
import { createHarness, EXAMPLE, type Harness } from './helpers.ts';

let h: Harness;
let projectPath: string;
let project: Record<string, unknown>;

beforeAll(async () => {
  h = await createHarness();
  projectPath = path.join(h.workspace, 'iris.netwright.json');
  await fs.copyFile(EXAMPLE, projectPath);
  project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
  await h.call('version'); // the app starts its engine thread at launch, before any training
});
afterAll(() => h?.close());

const engineEvents = () => h.events.filter((e): e is EngineEvent => e.kind.startsWith('train-'));
const waitFor = async (pred: () => boolean, ms: number, what: string) => {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

it('streams progress over IPC, can be stopped, and the main event loop stays under 100 ms', async () => {
  const loop = watchEventLoop();
  let figures: LoopFigures;
  try {
    const { jobId } = (await h.call('startTraining', [{ project, projectPath, epochs: 500, seed: 1 }])) as {
      jobId: string;
    };
    expect(typeof jobId).toBe('string');
    await waitFor(
      () =>
        engineEvents().some(
          (e) => e.kind === 'train-progress' && e.progress.phase === 'epoch' && e.progress.epoch >= 2,
        ),
      90_000,
      'two epochs of progress',
    );
    await h.call('stopTraining', [jobId]);
    await waitFor(() => engineEvents().some((e) => e.kind === 'train-finished'), 60_000, 'the job to finish');
    const finished = engineEvents().find((e) => e.kind === 'train-finished');
    expect(finished).toMatchObject({ kind: 'train-finished', jobId, status: 'cancelled' });
    const progress = engineEvents().filter((e) => e.kind === 'train-progress');
    expect(
      progress.every(
        (e) => e.kind === 'train-progress' && e.progress.jobId === jobId && Number.isFinite(e.progress.loss),
      ),
    ).toBe(true);
    const lastEpoch = Math.max(...progress.map((e) => (e.kind === 'train-progress' ? e.progress.epoch : 0)));
    expect(lastEpoch).toBeLessThan(500);
  } finally {
    figures = loop.stop();
  }
  console.log(
    `main event loop while training: longest busy stretch ${figures.busyMs.toFixed(1)} ms, worst timer lateness ${figures.lateMs.toFixed(1)} ms`,
  );
  expect(figures.busyMs).toBeLessThan(100);
});
