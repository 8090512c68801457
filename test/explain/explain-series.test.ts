// Integrated gradients over the time steps of a window, on a series whose next value depends on
// its last 5 values only (an autoregressive series, v[t] = Σₖ cₖ·v[t−k] + noise for k = 1…5, with
// alternating signs so that older steps carry little of the recent ones), forecast from 12-step
// windows by a linear autoregressive model (Flatten → Dense 1).
// Trained and explained through the real CLI.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttributionResult } from '../../engine/explain/types.ts';
import { netwright } from '../cli/run-cli.ts';
import { LENGTH, project, seriesCsv } from './series.ts';

let dir: string;
const run = () => path.join(dir, 'run');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nw-explain-series-'));
  await writeFile(path.join(dir, 'series.csv'), seriesCsv(4000, 1));
  await writeFile(path.join(dir, 'recent.csv'), seriesCsv(60, 2));
  await writeFile(path.join(dir, 'last5.netwright.json'), JSON.stringify(project));
  const r = await netwright('train', path.join(dir, 'last5.netwright.json'), '--out', run());
  expect(r.code, r.stdout + r.stderr).toBe(0);
}, 120_000);

describe('netwright explain on a series run', () => {
  it('puts at least 80% of the attribution mass on the last 5 steps of each window', async () => {
    const r = await netwright('explain', run(), '--method', 'integratedGradients', '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as AttributionResult;
    expect(result.columns).toEqual(['v']);
    expect(result.predictions).toHaveLength(50);
    const shares = result.predictions.map((p) => {
      expect(p.steps).toHaveLength(LENGTH);
      const mass = p.steps!.map(Math.abs);
      const total = mass.reduce((a, b) => a + b, 0);
      // Completeness in target units.
      const sum = p.steps!.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (p.prediction - p.baselinePrediction))).toBeLessThan(1e-3);
      expect(sum).toBeCloseTo(p.attributions.v, 5);
      expect(p.window?.v).toHaveLength(LENGTH);
      return mass.slice(-5).reduce((a, b) => a + b, 0) / total;
    });
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    console.log(
      `share of |attribution| on the last 5 of ${LENGTH} steps: mean ${mean.toFixed(3)}, min ${Math.min(...shares).toFixed(3)}`,
    );
    expect(mean).toBeGreaterThanOrEqual(0.8);
  });

  it("explains a CSV's last window per step and prints it", async () => {
    const csv = path.join(dir, 'recent.csv');
    const json = JSON.parse((await netwright('explain', run(), csv, '--json')).stdout) as AttributionResult;
    expect(json.method).toBe('integratedGradients');
    expect(json.predictions).toHaveLength(1);
    expect(json.predictions[0].target.name).toBe('v');
    const predicted = JSON.parse((await netwright('predict', run(), csv, '--json')).stdout) as {
      predictions: { values: { v: number } }[];
    };
    expect(json.predictions[0].prediction).toBeCloseTo(predicted.predictions[0].values.v, 3);
    const text = await netwright('explain', run(), csv);
    expect(text.stdout).toMatch(/^ {2}per step \(oldest first\): (\S+ ){11}\S+$/m);
  });
});
