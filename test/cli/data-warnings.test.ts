// Data warnings reach the user (#13): `netwright train` prints each one as a line, `--json`,
// run.json and metrics.json carry them as `warnings[]`, `predict` names each blank cell it fills,
// and synthetic builtin data says so. Real CLI processes on real files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { netwright } from './run-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-warnings-'));
const run = path.join(dir, 'run');

/** 120 rows: an identifier column (left out), blanks in "size", two rows without a target. */
function loansCsv(): string {
  const lines = ['id,size,color,score,label'];
  for (let i = 0; i < 120; i++) {
    const size = i % 10 === 3 ? '' : (1 + ((i * 37) % 40) / 10).toFixed(2);
    const score = ((i * 53) % 100).toFixed(1);
    const label = i === 7 || i === 50 ? '' : Number(score) > 50 ? 'yes' : 'no';
    lines.push(`item-${String(i).padStart(4, '0')},${size},${i % 3 ? 'red' : 'blue'},${score},${label}`);
  }
  return lines.join('\n') + '\n';
}

const project = (source: string, width: number, extra: object = {}) => ({
  format: 'netwright',
  version: 1,
  name: 'Warnings',
  graph: {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [width] } },
      { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
      { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
    ],
    edges: [
      { id: 'a', source: 'in', target: 'd' },
      { id: 'b', source: 'd', target: 'out' },
    ],
  },
  data: { source, ...extra },
  training: { epochs: 1, batchSize: 16 },
});

const EXPECTED = [
  /^Column "id" is not used as a feature: it has 120 different text values/,
  /^2 rows have no target value \(rows 9, 52\) and are left out\.$/,
  /^Column "size" has 12 missing values \(rows 5, 15, .*\); they are filled with the training rows' mean\.$/,
];

describe('data warnings', () => {
  let trainOut: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    writeFileSync(path.join(dir, 'loans.csv'), loansCsv());
    writeFileSync(
      path.join(dir, 'loans.netwright.json'),
      JSON.stringify(project('csv:loans.csv', 4, { target: 'label' })),
    );
    trainOut = await netwright(
      'train',
      path.join(dir, 'loans.netwright.json'),
      '--out',
      run,
      '--backend',
      'js',
    );
  });

  it('train prints each warning as a line naming the column and the reason', () => {
    expect(trainOut.code, trainOut.stderr).toBe(0);
    const lines = trainOut.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    for (const re of EXPECTED)
      expect(
        lines.some((l) => re.test(l.slice('warning: '.length))),
        String(re),
      ).toBe(true);
  });

  it('run.json and metrics.json carry warnings[], and so does train --json', async () => {
    for (const file of ['run.json', 'metrics.json']) {
      const { warnings } = JSON.parse(readFileSync(path.join(run, file), 'utf8')) as { warnings: string[] };
      for (const re of EXPECTED)
        expect(
          warnings.some((w) => re.test(w)),
          `${file}: ${String(re)}`,
        ).toBe(true);
    }
    const json = await netwright(
      'train',
      path.join(dir, 'loans.netwright.json'),
      '--out',
      path.join(dir, 'run-json'),
      '--backend',
      'js',
      '--json',
    );
    expect(json.code, json.stderr).toBe(0);
    const { warnings } = JSON.parse(json.stdout) as { warnings: string[] };
    for (const re of EXPECTED)
      expect(
        warnings.some((w) => re.test(w)),
        String(re),
      ).toBe(true);
  });

  it('predict warns about each blank it fills, by row and column', async () => {
    const rows = path.join(dir, 'new.csv');
    writeFileSync(rows, 'size,color,score\n2.5,red,40\n,blue,70\n3.0,,10\n');
    const r = await netwright('predict', run, rows, '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: new\.csv row 3, column "size" is blank; the training mean [\d.]+ is used\.$/m,
    );
    expect(r.stderr).toMatch(
      /^warning: new\.csv row 4, column "color" is blank; it is encoded as no category\.$/m,
    );
    expect(r.stderr).not.toMatch(/row 2/);
  });

  it('an Input shape that does not fit names the columns left out and why', async () => {
    const file = path.join(dir, 'wrong-shape.netwright.json');
    writeFileSync(file, JSON.stringify(project('csv:loans.csv', 5, { target: 'label' })));
    const r = await netwright('train', file, '--out', path.join(dir, 'wrong-run'), '--backend', 'js');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /the Input node's shape is \[5\]; set the Input shape to \[4\]\. Column "id" is not used as a feature: it has 120 different text values/,
    );
  });

  it('synthetic builtin data is labelled so in the output and in run.json', async () => {
    const file = path.join(dir, 'credit.netwright.json');
    writeFileSync(file, JSON.stringify(project('builtin:credit', 10, { target: 'default' })));
    const out = path.join(dir, 'credit-run');
    const r = await netwright('train', file, '--out', out, '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: builtin:credit is synthetic data/m);
    const info = JSON.parse(readFileSync(path.join(out, 'run.json'), 'utf8')) as { warnings: string[] };
    expect(info.warnings.some((w) => /synthetic/.test(w))).toBe(true);
  });
});
