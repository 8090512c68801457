// A CSV of 400,000 rows, well inside the 100 MB limit, loads and splits: spreading a class's
// hundreds of thousands of row indices into one push overflowed the stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDataset, splitDataset } from '../../engine/data/index.ts';

const ROWS = 400_000;
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-large-csv-'));
  const lines = ['t1,t2,label'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i % 97},${i % 89},${i % 10 < 7 ? 'cold' : 'hot'}`);
  await fs.writeFile(path.join(dir, 'sensors.csv'), lines.join('\n') + '\n');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('a 400,000-row CSV', () => {
  it('loads and splits stratified into disjoint, complete train/validation/test sets', async () => {
    const ds = await loadDataset(
      { source: 'csv:sensors.csv', target: 'label' },
      {
        projectDir: dir,
        inputShapes: [[2]],
        outputShapes: [[2]],
        losses: ['categoricalCrossentropy'],
        seed: 1,
      },
    );
    expect(ds.y.shape[0]).toBe(ROWS);
    const s = splitDataset(ds, { testSplit: 0.2, validationSplit: 0.1, seed: 1 });
    const { train, validation, test } = s.indices;
    expect(test.length).toBe(ROWS * 0.2);
    expect(validation.length).toBe(ROWS * 0.8 * 0.1);
    expect(train.length).toBe(ROWS - test.length - validation.length);
    const seen = new Uint8Array(ROWS);
    for (const i of [...train, ...validation, ...test]) seen[i]++;
    expect(seen.every((c) => c === 1)).toBe(true);
  }, 60_000);
});
