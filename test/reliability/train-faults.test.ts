// Training faults through the real `netwright train`: a diverging loss stops with a sentence and a
// run folder marked failed; a process SIGKILLed mid-epoch leaves a run folder that says
// "incomplete" (or "complete"), whose every file is whole and whose best checkpoint loads.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModel } from '../../engine/io/tfjs-files.ts';
import { readProjectFile } from '../../engine/project/files.ts';
import { loadExample } from '../../engine/examples.ts';
import { REPO, STACK_TRACE, listTree, runCli } from './helpers/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-trainfault-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

/** Whether `check` turns true within the time (vitest polls it). */
const waitFor = (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> =>
  vi
    .waitFor(
      async () => {
        if (!(await check())) throw new Error('not yet');
      },
      { timeout: timeoutMs, interval: 100 },
    )
    .then(
      () => true,
      () => false,
    );

/** Every JSON file in the run folder parses (none torn) and run.json has a known status. */
async function checkRunFolder(runDir: string): Promise<{ status: string; files: string[] }> {
  const files = await listTree(runDir);
  for (const rel of files.filter((f) => f.endsWith('.json') || f.endsWith('.json.bak'))) {
    JSON.parse(await fs.readFile(path.join(runDir, rel), 'utf8'));
  }
  const info = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as { status: string };
  expect(['incomplete', 'complete', 'cancelled', 'failed']).toContain(info.status);
  // Absent is fine for a run killed before writing it; present means whole and loadable.
  if (files.includes('project.netwright.json')) {
    const project = await readProjectFile(path.join(runDir, 'project.netwright.json'));
    expect(project.ok).toBe(true);
  }
  return { status: info.status, files };
}

/** Inputs → one hidden Dense layer → one output, mean squared error on column y of data.csv. */
function regressionProject(
  name: string,
  inputs: number,
  hidden: { units: number; activation: string },
  training: Record<string, unknown>,
) {
  return {
    format: 'netwright',
    version: 1,
    name,
    graph: {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [inputs] } },
        { id: 'h', type: 'Dense', params: hidden },
        { id: 'd', type: 'Dense', params: { units: 1 } },
        { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
      ],
      edges: [
        { id: 'e0', source: 'in', target: 'h' },
        { id: 'e1', source: 'h', target: 'd' },
        { id: 'e2', source: 'd', target: 'out' },
      ],
    },
    data: { source: 'csv:data.csv', target: 'y' },
    training,
  };
}

describe('training faults', () => {
  it('a loss that becomes infinite stops the run with one sentence and marks it failed', async () => {
    const caseDir = path.join(dir, 'diverge');
    await fs.mkdir(caseDir);
    let csv = 'a,b,y\n';
    for (let i = 0; i < 200; i++) {
      const a = Math.sin(i) * 1e30;
      const b = Math.cos(i) * 1e30;
      csv += `${a},${b},${3 * a - 2 * b}\n`;
    }
    await fs.writeFile(path.join(caseDir, 'data.csv'), csv);
    const project = regressionProject(
      'Diverges',
      2,
      { units: 8, activation: 'relu' },
      {
        optimizer: { type: 'sgd', learningRate: 10 },
        epochs: 30,
        batchSize: 8,
        seed: 1,
      },
    );
    const file = path.join(caseDir, 'p.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const runDir = path.join(caseDir, 'run');
    const r = await runCli(['train', file, '--out', runDir, '--backend', 'js'], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /^netwright: Training stopped at epoch \d+, batch \d+: the loss became (NaN|infinite)\. .*learning rate/m,
    );
    expect(r.stderr + r.stdout).not.toMatch(STACK_TRACE);
    const { status } = await checkRunFolder(runDir);
    expect(status).toBe('failed');
    const info = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as { message: string };
    expect(info.message).toMatch(/the loss became (NaN|infinite)/);
  });
});

/** `netwright train` in a child process (not runCli: these tests kill it themselves): the signal it ends by, and what it printed. */
function spawnTrain(file: string, runDir: string) {
  const child = spawn(
    process.execPath,
    [path.join(REPO, 'bin', 'netwright.mjs'), 'train', file, '--out', runDir, '--backend', 'js'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  return { child, exited, output: () => output };
}

/** Start `netwright train`, wait until the first best-weights checkpoint exists, SIGKILL it a random moment later. */
async function trainKillAfterCheckpoint(
  file: string,
  runDir: string,
  waitMs: number,
): Promise<{ checkpointed: boolean; output: string }> {
  const { child, exited, output } = spawnTrain(file, runDir);
  let checkpointed: boolean;
  try {
    checkpointed = await waitFor(() => exists(path.join(runDir, 'model', 'model.json')), waitMs);
    // Land the kill at a random moment within the following epochs (maybe mid-checkpoint).
    if (checkpointed) await new Promise((r) => setTimeout(r, Math.random() * 1500));
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited, `the training ended on its own before the kill:\n${output()}`).toBe('SIGKILL');
  return { checkpointed, output: output() };
}

async function expectLoadableCheckpoint(runDir: string, input: number[], outputs: number): Promise<number[]> {
  const model = await loadLayersModel(tf, path.join(runDir, 'model'));
  const y = model.predict(tf.tensor2d([input])) as tf.Tensor;
  const values = Array.from(await y.data());
  model.dispose();
  y.dispose();
  expect(values).toHaveLength(outputs);
  for (const v of values) expect(Number.isFinite(v)).toBe(true);
  return values;
}

describe('training killed mid-run', () => {
  it('SIGKILL mid-epoch of a steadily improving run: marked incomplete, best checkpoint loads', async () => {
    const caseDir = path.join(dir, 'killed');
    await fs.mkdir(caseDir);
    let csv = 'a,b,c,y\n';
    for (let i = 0; i < 1500; i++) {
      const [a, b, c] = [Math.sin(i * 1.3), Math.cos(i * 0.7), ((i * 37) % 100) / 50 - 1];
      csv += `${a},${b},${c},${Math.tanh(2 * a - b) + 0.5 * c * c}\n`;
    }
    await fs.writeFile(path.join(caseDir, 'data.csv'), csv);
    const project = regressionProject(
      'Slow learner',
      3,
      { units: 32, activation: 'tanh' },
      {
        optimizer: { type: 'sgd', learningRate: 0.002 },
        epochs: 100000,
        batchSize: 32,
        validationSplit: 0.2,
        seed: 3,
      },
    );
    const file = path.join(caseDir, 'slow.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const runDir = path.join(caseDir, 'run');
    const { checkpointed, output } = await trainKillAfterCheckpoint(file, runDir, 45_000);
    expect(checkpointed, `no checkpoint within 45 s; output:\n${output}`).toBe(true);
    const { status, files } = await checkRunFolder(runDir);
    expect(status).toBe('incomplete');
    expect(files).toEqual(
      expect.arrayContaining(['model/model.json', 'model/weights.bin', 'project.netwright.json', 'run.json']),
    );
    await expectLoadableCheckpoint(runDir, [0.1, 0.2, 0.3], 1);
  });

  it('SIGKILL after the best epoch came in the first seconds: that best checkpoint is on disk', async () => {
    // Iris reaches its best validation loss early; a long run killed later must not lose it.
    const caseDir = path.join(dir, 'killed-iris');
    await fs.mkdir(caseDir);
    const project = await loadExample('iris-mlp');
    project.training = { ...project.training, epochs: 5000 };
    const file = path.join(caseDir, 'iris.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const runDir = path.join(caseDir, 'run');
    const { checkpointed, output } = await trainKillAfterCheckpoint(file, runDir, 20_000);
    expect(checkpointed, `20 s into training no best checkpoint had been written; output:\n${output}`).toBe(
      true,
    );
    const { status } = await checkRunFolder(runDir);
    expect(status).toBe('incomplete');
    const probs = await expectLoadableCheckpoint(runDir, [5.1, 3.5, 1.4, 0.2], 3);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('SIGKILL right after start leaves a folder that says incomplete and nothing torn', async () => {
    const caseDir = path.join(dir, 'killed-early');
    await fs.mkdir(caseDir);
    const project = await loadExample('iris-mlp');
    const file = path.join(caseDir, 'iris.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const runDir = path.join(caseDir, 'run');
    const { child, exited } = spawnTrain(file, runDir);
    try {
      expect(await waitFor(() => exists(path.join(runDir, 'run.json')), 60_000)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    const { status } = await checkRunFolder(runDir);
    expect(status).toBe('incomplete');
  });
});

describe('a kill while the run folder is being created', () => {
  it('never leaves a run folder without run.json, and the next run clears the leftovers', async () => {
    const runs = path.join(dir, 'first-write', 'runs');
    const runDir = path.join(runs, 'killed');
    const fixture = path.join(REPO, 'test', 'reliability', 'fixtures', 'kill-at-first-run-json.ts');
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, runDir], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (_code, sig) => resolve(sig));
    });
    expect(signal).toBe('SIGKILL');
    // Whatever the kill left is hidden staging, not a run folder.
    expect(await exists(runDir)).toBe(false);
    expect((await fs.readdir(runs)).filter((n) => !n.startsWith('.'))).toEqual([]);

    const { trainProject } = await import('../../engine/train/train-project.ts');
    const { listRuns } = await import('../../engine/runs/run-dir.ts');
    const next = await trainProject({
      project: await loadExample('iris-mlp'),
      outDir: path.join(runs, 'next'),
      epochs: 1,
      backend: 'js',
    });
    expect(next.status).toBe('complete');
    expect(await fs.readdir(runs)).toEqual(['next']);
    const projectFile = path.join(runs, '..', 'p.netwright.json');
    expect((await listRuns(projectFile)).map((r) => path.basename(r.runDir))).toEqual(['next']);
  }, 120_000);
});
