// What a failed parity check does, end to end: the tfjs model is made to disagree with the ONNX file
// after the file is built (parityTestSeam, a test-only hook in engine/export/parity.ts), and the export
// must report it, write nothing (no file, no temp file, a previous export left as it was), and
// `netwright export` must exit 1 with one sentence naming the max difference.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from './harness.ts';
import { shiftAllWeights } from './fixtures/tamper.ts';
import { ROOT, type CliRun } from '../cli/run-cli.ts';
import { loadExample } from '../../engine/examples.ts';
import { exportModel } from '../../engine/export/export-model.ts';
import { parityTestSeam, PARITY_TOLERANCE } from '../../engine/export/parity.ts';

const PROJECT = 'resources/examples/iris-mlp.netwright.json';

afterEach(() => {
  delete parityTestSeam.beforeCompare;
});

const freshDir = () => mkdtempSync(path.join(os.tmpdir(), 'nw-parity-fail-'));

describe('a failed parity check in exportModel', () => {
  it('reports the failure and writes no file and no temp file', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'model.onnx');
    parityTestSeam.beforeCompare = (model) => shiftAllWeights(model);
    const outcome = await exportModel(tf, { project: await loadExample('iris-mlp'), onnxPath: file });
    expect(outcome.parity!.passed).toBe(false);
    expect(outcome.parity!.maxAbsDiff).toBeGreaterThan(PARITY_TOLERANCE);
    expect(outcome.onnxPath).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves a previous export at the destination exactly as it was', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'model.onnx');
    const project = await loadExample('iris-mlp');
    await exportModel(tf, { project, onnxPath: file, seed: 1 });
    const before = readFileSync(file);
    const entries = readdirSync(dir).sort();
    parityTestSeam.beforeCompare = (model) => shiftAllWeights(model);
    const outcome = await exportModel(tf, { project, onnxPath: file, seed: 2 });
    expect(outcome.parity!.passed).toBe(false);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(entries);
  });

  it('the same export passes without the seam (the failure above is the tampering, not the model)', async () => {
    const dir = freshDir();
    const outcome = await exportModel(tf, {
      project: await loadExample('iris-mlp'),
      onnxPath: path.join(dir, 'model.onnx'),
    });
    expect(outcome.parity!.passed).toBe(true);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
  });
});

/** `netwright export …` in its own process through cli/main.ts, with the seam set in that process. */
function tamperedCli(...args: string[]): Promise<CliRun> {
  const script = path.join(ROOT, 'test/onnx/fixtures/export-cli-tampered.ts');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, 'export', ...args, '--backend', 'js'],
      { cwd: ROOT, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

it('`netwright export` exits 1 with one sentence naming the max difference, and writes no file', async () => {
  const dir = freshDir();
  // In a folder that doesn't exist yet: a failed export doesn't create it either.
  const file = path.join(dir, 'exports', 'iris.onnx');
  const r = await tamperedCli(PROJECT, '--onnx', file);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toMatch(/max abs diff [\d.e+-]+, .* FAILED/);
  const printed = /max abs diff ([\d.e+-]+)/.exec(r.stdout)![1];
  expect(Number(printed)).toBeGreaterThan(PARITY_TOLERANCE);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toBe(
    `netwright: The ONNX model does not compute the same function as the tfjs model (max abs diff ${printed} on output "out"), so ${file} was not written; please report this with the project file.`,
  );
  expect(readdirSync(dir)).toEqual([]);
});
