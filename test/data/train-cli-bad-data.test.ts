// Bad data through the real `netwright train` (a child process): each case ends with exit 1 or 2
// and one sentence naming the file, and the row and column where there is one — never a stack
// trace, and any run folder left behind says "failed". (Binary/latin-1 CSVs, huge CSVs, junk image
// bytes and paths outside the project are covered in test/reliability/cli-bad-input.test.ts.)
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_TRACE, runCli, type CliResult } from '../reliability/helpers/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-train-bad-data-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

type Node = { id: string; type: string; params: Record<string, unknown> };
function project(nodes: Node[], source: string) {
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
  return {
    format: 'netwright',
    version: 1,
    name: 'bad data',
    graph: { nodes, edges },
    data: { source, target: 'y', testSplit: 0.2 },
    training: { epochs: 1, batchSize: 4, seed: 1 },
  };
}
const tabular = project(
  [
    { id: 'in', type: 'Input', params: { shape: [2] } },
    { id: 'd', type: 'Dense', params: { units: 1 } },
    { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
  ],
  'csv:data.csv',
);
const images = project(
  [
    { id: 'in', type: 'Input', params: { shape: [8, 8, 1] } },
    { id: 'f', type: 'Flatten', params: {} },
    { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
    { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
  ],
  'images:img',
);

/** Writes the project and its files into a fresh folder and runs `netwright train` on it. */
async function train(
  name: string,
  doc: object,
  files: Record<string, string | Uint8Array>,
): Promise<{ r: CliResult; caseDir: string; out: string }> {
  const caseDir = path.join(dir, name);
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(caseDir, rel)), { recursive: true });
    await fs.writeFile(path.join(caseDir, rel), content);
  }
  const file = path.join(caseDir, 'p.netwright.json');
  await fs.writeFile(file, JSON.stringify(doc));
  const out = path.join(caseDir, 'run');
  return {
    r: await runCli(['train', file, '--out', out, '--backend', 'js'], { timeoutMs: 60_000 }),
    caseDir,
    out,
  };
}

async function expectCleanFailure({ r, out }: { r: CliResult; out: string }, message: RegExp): Promise<void> {
  const context = `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  expect(r.timedOut, context).toBe(false);
  expect([1, 2], context).toContain(r.code);
  const last = r.stderr.trim().split('\n').pop() ?? '';
  expect(last, context).toMatch(/^netwright: /);
  expect(last, context).toMatch(message);
  expect(r.stderr + r.stdout, context).not.toMatch(STACK_TRACE);
  expect(r.stderr, context).not.toMatch(/internal error|Training failed:/i);
  const info = await fs.readFile(path.join(out, 'run.json'), 'utf8').then(
    (t) => JSON.parse(t) as { status: string },
    () => null,
  );
  if (info) expect(info.status, context).toBe('failed');
}

const numericRows = (n: number) => Array.from({ length: n }, (_, i) => `${i},${i * 2},${i * 3}`);

describe('netwright train on bad CSV data', () => {
  it('a ragged row: file, row and the column without a value', async () => {
    const rows = numericRows(12);
    rows[5] = '5,10';
    const c = await train('ragged', tabular, { 'data.csv': ['a,b,y', ...rows].join('\n') });
    await expectCleanFailure(
      c,
      /^netwright: data\.csv row 7 has 2 values but the header has 3 columns; column "y" has no value\.$/,
    );
  });

  it('a non-numeric value in a numeric feature: file, row and column', async () => {
    const rows = numericRows(20);
    rows[12] = '12,twelve,36';
    const c = await train('non-numeric', tabular, { 'data.csv': ['a,b,y', ...rows].join('\n') });
    await expectCleanFailure(
      c,
      /^netwright: data\.csv row 14, column "b": "twelve" is not a number, but the column's other values are numbers\.$/,
    );
  });

  it('an empty file, and a header with no rows', async () => {
    await expectCleanFailure(
      await train('empty', tabular, { 'data.csv': '' }),
      /^netwright: data\.csv is empty\.$/,
    );
    await expectCleanFailure(
      await train('header-only', tabular, { 'data.csv': 'a,b,y\n' }),
      /^netwright: data\.csv has a header row but no data rows\.$/,
    );
  });
});

describe('netwright train on bad image folders', () => {
  const gray = () => {
    const png = new PNG({ width: 8, height: 8 });
    png.data.fill(128);
    return PNG.sync.write(png);
  };
  const twoClasses = (): Record<string, Uint8Array | string> => {
    const files: Record<string, Uint8Array | string> = {};
    for (let i = 0; i < 4; i++) {
      files[`img/ok/${i}.png`] = gray();
      files[`img/scratch/${i}.png`] = gray();
    }
    return files;
  };

  it('a class folder with no images names the folder', async () => {
    const c = await train('empty-class', images, {
      ...twoClasses(),
      'img/crack/notes.txt': 'photos to come',
    });
    await expectCleanFailure(c, /^netwright: The class folder .*img[/\\]crack has no PNG or JPEG images\.$/);
  });

  it('a truncated PNG that will not decode names the file', async () => {
    const c = await train('truncated', images, {
      ...twoClasses(),
      'img/scratch/cut.png': gray().subarray(0, 45),
    });
    await expectCleanFailure(c, /^netwright: The image .*img[/\\]scratch[/\\]cut\.png cannot be decoded/);
  });
});
