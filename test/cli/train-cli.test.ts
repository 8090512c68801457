// The run-folder round trip through the real CLI in a child process: train, evaluate, predict.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve('bin/netwright.mjs');

async function netwright(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('netwright train / evaluate / predict', () => {
  let dir: string;
  let project: string;
  const out = () => path.join(dir, 'run');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nw-cli-train-'));
    project = path.join(dir, 'iris.netwright.json');
    await copyFile('resources/examples/iris-mlp.netwright.json', project);
  });

  it('trains, prints one line per epoch when not a TTY, and writes the run folder', async () => {
    const r = await netwright('train', project, '--out', out(), '--epochs', '2', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^epoch 1\/2 {2}loss \d\.\d{4} {2}accuracy/m);
    expect(r.stdout).toMatch(/^epoch 2\/2 .*ETA 0s$/m);
    expect(r.stdout).toMatch(/Test accuracy \d\.\d{3} on 30 samples/);
    const info = JSON.parse(await readFile(path.join(out(), 'run.json'), 'utf8'));
    expect(info).toMatchObject({ status: 'complete', seed: 3, epochs: 2 });
    const model = JSON.parse(await readFile(path.join(out(), 'model', 'model.json'), 'utf8'));
    expect(model.format).toBe('layers-model');
  });

  it('evaluate re-runs the saved model on the test split and matches metrics.json', async () => {
    const r = await netwright('evaluate', out(), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const saved = JSON.parse(await readFile(path.join(out(), 'metrics.json'), 'utf8'));
    expect(report.recomputed).toBe(true);
    expect(report.metrics).toEqual(saved);
    expect(report.metrics.confusionMatrix.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    const text = await netwright('evaluate', out());
    expect(text.stdout).toMatch(/precision +recall +f1 +support/);
    expect(text.stdout).toMatch(/Confusion matrix/);
  });

  it('predict applies the saved preprocessing to a CSV and prints class and probability', async () => {
    const csv = path.join(dir, 'flowers.csv');
    await writeFile(csv, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n');
    const r = await netwright('predict', out(), csv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^row 2: (setosa|versicolor|virginica) \(probability (0|1)\.\d{3}\)$/m);
    const j = JSON.parse((await netwright('predict', out(), csv, '--json')).stdout);
    const probs = Object.values(j.predictions[0].probabilities) as number[];
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('exit codes: 2 for what cannot be read, 1 for what is invalid, one sentence each', async () => {
    const missing = await netwright('train', path.join(dir, 'nope.netwright.json'), '--out', out());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^netwright: Cannot find .*nope\.netwright\.json\.$/m);
    expect((await netwright('train', project, '--epochs', 'many')).code).toBe(2);
    expect((await netwright('evaluate', dir)).stderr).toMatch(/is not a run folder/);
    const bad = JSON.parse(await readFile(project, 'utf8'));
    bad.training.earlyStopping = { patience: -1 };
    const badFile = path.join(dir, 'bad.netwright.json');
    await writeFile(badFile, JSON.stringify(bad));
    const invalid = await netwright('train', badFile, '--out', path.join(dir, 'bad-run'));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^netwright: training\.earlyStopping\.patience: /m);
    expect(invalid.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
