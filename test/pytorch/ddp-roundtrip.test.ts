// The path from the editor to a cluster and back, with real processes: Netwright trains an example;
// the same project exported as a PyTorch package trains under DDP on 2 gloo ranks to the same test
// accuracy (within 0.03) with the ranks on disjoint shards; import-checkpoint brings the weights
// back and `netwright evaluate` reproduces what train.py reported; the imported run exports to
// ONNX with parity.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { netwright, ROOT } from '../cli/run-cli.ts';
import { launchRanks, metricsLines, runPython } from './harness.ts';

const example = (id: string) => path.join(ROOT, 'resources/examples', `${id}.netwright.json`);
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

describe.each([
  { id: 'iris-mlp', launch: 'env' as const },
  { id: 'credit-risk-mlp', launch: 'spawn' as const },
])('$id: Netwright → PyTorch DDP (2 ranks, $launch) → Netwright', ({ id, launch }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `nw-ddp-${id}-`));
  const pkg = path.join(tmp, 'package');

  it('trains to Netwright’s own test accuracy on disjoint shards, and comes back', async () => {
    const trained = await netwright('train', example(id), '--out', path.join(tmp, 'netwright-run'));
    expect(trained.code, trained.stderr).toBe(0);
    const ours = readJson<{ accuracy: number }>(path.join(tmp, 'netwright-run', 'metrics.json')).accuracy;

    const exported = await netwright('export', example(id), '--pytorch', pkg);
    expect(exported.code, exported.stderr).toBe(0);
    const config = readJson<{ epochs: number; samples: { train: number } }>(path.join(pkg, 'config.json'));
    // The package's data is the run's split, sample for sample.
    const split = readJson<unknown>(path.join(tmp, 'netwright-run', 'split.json'));
    expect(readJson<unknown>(path.join(pkg, 'netwright', 'split.json'))).toEqual(split);

    const runs =
      launch === 'env'
        ? await launchRanks(pkg, 2, ['--record-shards'])
        : [await runPython(pkg, ['train.py', '--nproc-per-node', '2', '--record-shards'])];
    for (const r of runs) expect(r.code, r.output).toBe(0);

    // Disjoint shards of equal size that cover the training split but for at most one sample.
    const shards = [0, 1].map((r) =>
      readJson<number[]>(path.join(pkg, 'output', 'shards', `rank-${r}.json`)),
    );
    const half = Math.floor(config.samples.train / 2);
    expect(shards.map((s) => s.length)).toEqual([half, half]);
    expect(shards[0].filter((i) => shards[1].includes(i))).toEqual([]);
    expect(new Set([...shards[0], ...shards[1]]).size).toBe(2 * half);

    const lines = metricsLines(pkg);
    const epochs = lines.filter((l) => 'epoch' in l);
    expect(epochs.map((l) => l.epoch)).toEqual(Array.from({ length: config.epochs }, (_, i) => i + 1));
    expect(epochs.every((l) => l.world_size === 2)).toBe(true);
    const reported = readJson<{ accuracy: number; samples: number }>(
      path.join(pkg, 'output', 'final', 'metrics.json'),
    );
    expect(Math.abs(reported.accuracy - ours)).toBeLessThanOrEqual(0.03);

    const runDir = path.join(tmp, 'imported-run');
    const imported = await netwright('import-checkpoint', pkg, '--out', runDir);
    expect(imported.code, imported.stderr).toBe(0);
    expect(readJson<unknown>(path.join(runDir, 'split.json'))).toEqual(split);
    const evaluated = await netwright('evaluate', runDir, '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(evaluated.stdout) as { metrics: { accuracy: number; samples: number } };
    expect(metrics.metrics.samples).toBe(reported.samples);
    expect(metrics.metrics.accuracy).toBeCloseTo(reported.accuracy, 6);

    const onnx = await netwright('export', runDir, '--onnx', path.join(tmp, 'imported.onnx'));
    expect(onnx.code, onnx.stderr).toBe(0);
    expect(onnx.stdout).toMatch(/ONNX parity.*passed/);
  }, 420_000);
});
