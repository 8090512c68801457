// data.columnKinds (#13 item 5): a column's kind set by the user overrides the detected one in
// training, in `predict` and in the exported deployment ONNX model; "ignore" leaves a column out.
// Real CLI processes, real files, real onnxruntime-node.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { netwright } from './run-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-column-kinds-'));

/** "grade" is a code (1, 2, 3) that decides the label; "note" is text with three values. */
function plantsCsv(): string {
  const lines = ['grade,size,note,label'];
  for (let i = 0; i < 90; i++) {
    const grade = 1 + (i % 3);
    lines.push(
      `${grade},${(1 + ((i * 7) % 10) / 10).toFixed(1)},${['dry', 'wet', 'mild'][i % 3]},${grade === 2 ? 'yes' : 'no'}`,
    );
  }
  return lines.join('\n') + '\n';
}

const project = (width: number, columnKinds?: Record<string, string>) => ({
  format: 'netwright',
  version: 1,
  name: 'Kinds',
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
  data: { source: 'csv:plants.csv', target: 'label', ...(columnKinds ? { columnKinds } : {}) },
  training: { epochs: 2, batchSize: 16 },
});

function write(name: string, p: object): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(p));
  return file;
}

beforeAll(() => writeFileSync(path.join(dir, 'plants.csv'), plantsCsv()));

describe('data.columnKinds', () => {
  it('detected kinds: grade numeric (1 input) + size + note one-hot (3) = 5 inputs', async () => {
    const r = await netwright('inspect', write('auto.netwright.json', project(5)), '--json');
    expect(r.code, r.stderr).toBe(0);
    const run = path.join(dir, 'run-auto');
    const t = await netwright(
      'train',
      path.join(dir, 'auto.netwright.json'),
      '--out',
      run,
      '--backend',
      'js',
    );
    expect(t.code, t.stderr).toBe(0);
  }, 120_000);

  it('grade as categorical and note ignored train a 4-input model; predict and the ONNX model read grade as categories', async () => {
    const file = write('kinds.netwright.json', project(4, { grade: 'categorical', note: 'ignore' }));
    const run = path.join(dir, 'run-kinds');
    const t = await netwright('train', file, '--out', run, '--backend', 'js');
    expect(t.code, t.stderr).toBe(0);
    const prep = JSON.parse(readFileSync(path.join(run, 'preprocessing.json'), 'utf8')) as {
      encodings: { kind: string; columns: { name: string; kind: string; categories?: string[] }[] }[];
    };
    expect(prep.encodings[0].columns).toEqual([
      { name: 'grade', kind: 'categorical', categories: ['1', '2', '3'] },
      { name: 'size', kind: 'numeric' },
    ]);

    writeFileSync(path.join(dir, 'new.csv'), 'grade,size,note\n2,1.5,dry\n3,1.1,wet\n');
    const p = await netwright('predict', run, path.join(dir, 'new.csv'), '--json');
    expect(p.code, p.stderr).toBe(0);
    const predicted = (
      JSON.parse(p.stdout) as { predictions: { className: string; probabilities: Record<string, number> }[] }
    ).predictions;
    expect(predicted).toHaveLength(2);

    const onnx = path.join(dir, 'kinds.onnx');
    const e = await netwright('export', run, '--onnx', onnx);
    expect(e.code, e.stdout + e.stderr).toBe(0);
    expect(e.stdout).toMatch(/Deployment model .* passed/);
    const session = await ort.InferenceSession.create(onnx);
    expect([...session.inputNames].sort()).toEqual(['grade', 'size']);
    const out = await session.run({
      grade: new ort.Tensor('string', ['2', '3'], [2, 1]),
      size: new ort.Tensor('float32', Float32Array.from([1.5, 1.1]), [2, 1]),
    });
    expect([...(out.label.data as string[])]).toEqual(predicted.map((x) => x.className));
    const probs = out.probabilities.data as Float32Array;
    predicted.forEach((x, i) =>
      Object.values(x.probabilities).forEach((v, j) =>
        expect(Math.abs(probs[i * 2 + j] - v)).toBeLessThanOrEqual(1e-4),
      ),
    );
  }, 180_000);

  it('a text column set to numeric, or a column that does not exist, is one sentence naming it (exit 1)', async () => {
    const numeric = await netwright(
      'train',
      write('bad.netwright.json', project(4, { note: 'numeric' })),
      '--out',
      path.join(dir, 'run-bad'),
      '--backend',
      'js',
    );
    expect(numeric.code).toBe(1);
    expect(numeric.stderr).toContain(
      'plants.csv row 2, column "note": "dry" is not a number, but data.columnKinds sets the column to numeric; set it to categorical or fix the cell.',
    );
    const unknown = await netwright(
      'train',
      write('unknown.netwright.json', project(4, { colour: 'categorical' })),
      '--out',
      path.join(dir, 'run-unknown'),
      '--backend',
      'js',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('data.columnKinds names "colour", which is not a column of plants.csv');
  }, 120_000);

  it('a wrong kind is refused by the project schema with its JSON path', async () => {
    const r = await netwright('inspect', write('wrong.netwright.json', project(4, { grade: 'text' })));
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/data\.columnKinds\.grade/);
  });
});
