// Explaining table runs through the real CLI (train, then explain) and the engine, against a
// synthetic table whose label depends on columns c2 and c5 only (see tables.ts).
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainRun } from '../../engine/explain/explain-run.ts';
import type { AttributionResult, PermutationResult } from '../../engine/explain/types.ts';
import { projectFromJson } from '../../engine/project/load.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { netwright } from '../cli/run-cli.ts';
import { COLUMNS, syntheticCsv, tableProject, writeProject } from './tables.ts';

let dir: string;
const run = () => path.join(dir, 'run');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nw-explain-table-'));
  await writeFile(path.join(dir, 'data.csv'), syntheticCsv(600, 1));
  await writeFile(path.join(dir, 'rows.csv'), syntheticCsv(4, 9, false));
  await writeProject(dir, tableProject(), 'known.netwright.json');
  const trained = await netwright('train', path.join(dir, 'known.netwright.json'), '--out', run());
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);

describe('netwright explain on a table run', () => {
  it('permutation importance ranks the two columns the label depends on above all others', async () => {
    const r = await netwright('explain', run(), '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as PermutationResult;
    expect(result.method).toBe('permutation');
    expect(result.metric).toBe('accuracy');
    expect(result.features.map((f) => f.name).sort()).toEqual(COLUMNS);
    const importance = (name: string) => result.features.find((f) => f.name === name)!.importance;
    const others = COLUMNS.filter((c) => c !== 'c2' && c !== 'c5').map(importance);
    expect(Math.min(importance('c2'), importance('c5'))).toBeGreaterThan(Math.max(...others));
    // Sorted from most to least important, each with its spread over the repeats.
    const values = result.features.map((f) => f.importance);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    for (const f of result.features) expect(f.std).toBeGreaterThanOrEqual(0);
    const text = await netwright('explain', run());
    expect(text.stdout).toMatch(/^Permutation importance: drop in test accuracy/m);
    expect(text.stdout).toMatch(/^ {2}c[25] +\+0\.\d+ ± /m);
    expect(text.stdout).toMatch(/^Caveat: /m);
  });

  it('integrated gradients of each CSV row add up to its prediction minus the baseline, matching predict', async () => {
    const csv = path.join(dir, 'rows.csv');
    const r = await netwright('explain', run(), csv, '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as AttributionResult;
    expect(result.method).toBe('integratedGradients');
    const predicted = JSON.parse((await netwright('predict', run(), csv, '--json')).stdout) as {
      predictions: { row: string; className: string; probability: number }[];
    };
    expect(result.predictions).toHaveLength(4);
    result.predictions.forEach((p, i) => {
      expect(Object.keys(p.attributions).sort()).toEqual(COLUMNS);
      const sum = Object.values(p.attributions).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (p.prediction - p.baselinePrediction))).toBeLessThan(1e-3);
      expect(p.row).toBe(predicted.predictions[i].row);
      expect(p.target.name).toBe(predicted.predictions[i].className);
      expect(p.prediction).toBeCloseTo(predicted.predictions[i].probability, 4);
      // The label depends on c2 and c5 only: they carry the largest attributions.
      const ranked = Object.entries(p.attributions).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
      expect(
        ranked
          .slice(0, 2)
          .map(([k]) => k)
          .sort(),
      ).toEqual(['c2', 'c5']);
    });
    // A chosen class instead of the predicted one.
    const no = JSON.parse((await netwright('explain', run(), csv, '--json', '--class', 'no')).stdout);
    for (const p of (no as AttributionResult).predictions) expect(p.target.name).toBe('no');
  });

  it('refuses what does not fit the run with one sentence and the contract exit codes', async () => {
    const grad = await netwright('explain', run(), '--method', 'gradCam');
    expect(grad.code).toBe(1);
    expect(grad.stderr).toMatch(
      /^netwright: gradCam explains image models; .*use permutation or integratedGradients\.$/m,
    );
    const cls = await netwright('explain', run(), '--class', 'maybe');
    expect(cls.code).toBe(1);
    expect(cls.stderr).toMatch(/--class must be one of "no", "yes"/);
    const ex = await netwright('explain', run(), '--method', 'integratedGradients', '--example', '9999');
    expect(ex.code).toBe(1);
    expect(ex.stderr).toMatch(/--example 9999 is not a test sample; the test split has samples 0 to \d+\.$/m);
    const mirrors = await netwright('explain', run(), '--mirrors');
    expect(mirrors.code).toBe(1);
    expect(mirrors.stderr).toMatch(
      /^netwright: --mirrors averages image heat maps over mirror images; permutation does not draw one\.$/m,
    );
    expect((await netwright('explain', run(), '--method', 'lime')).code).toBe(2);
    const missing = await netwright('explain', path.join(dir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^netwright: Cannot find the run folder .*nope\.$/m);
    for (const r of [grad, cls, ex, mirrors]) expect(r.stderr).not.toMatch(/at .*\.ts:\d+|\/tmp\//);
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('explain on a two-input table run (engine)', () => {
  it('permutation and integrated gradients work across both Inputs', async () => {
    const parsed = projectFromJson(tableProject(true));
    if (!parsed.ok) throw new Error(parsed.problems[0].message);
    const projectPath = path.join(dir, 'two.netwright.json');
    await writeProject(dir, tableProject(true), 'two.netwright.json');
    const outDir = path.join(dir, 'two-run');
    const trained = await trainProject({ project: parsed.project, projectPath, outDir });
    expect(trained.status, trained.message).toBe('complete');

    const perm = (await explainRun({ runDir: outDir })).result as PermutationResult;
    expect(
      perm.features
        .slice(0, 2)
        .map((f) => f.name)
        .sort(),
    ).toEqual(['c2', 'c5']);

    const ig = (await explainRun({ runDir: outDir, method: 'integratedGradients', examples: [0, 1, 2] }))
      .result as AttributionResult;
    expect(ig.predictions.map((p) => p.row)).toEqual(['test 0', 'test 1', 'test 2']);
    for (const p of ig.predictions) {
      expect(Object.keys(p.attributions).sort()).toEqual(COLUMNS);
      const sum = Object.values(p.attributions).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (p.prediction - p.baselinePrediction))).toBeLessThan(1e-3);
      expect(['yes', 'no']).toContain(p.actual);
    }
  }, 120_000);
});
