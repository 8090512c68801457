import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset, previewData } from '../../engine/data/index.ts';
import { dataError, tempDir, writeFile } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const LOANS = [
  'income,region,owner,score,approved',
  '52.5,north,yes,700,yes',
  '31,south,,640,no',
  ',east,no,580,no',
  '75,north,yes,,yes',
  '40,south,no,610,no',
  '66,east,yes,720,yes',
].join('\n');

const ctx = (inputShapes: number[][], extra: object = {}) => ({
  projectDir: dir,
  inputShapes,
  seed: 1,
  ...extra,
});

describe('csv: sources', () => {
  it('one-hot encodes categorical columns, keeps missing numbers as NaN and says so', async () => {
    writeFile(dir, 'loans.csv', LOANS);
    const ds = await loadDataset({ source: 'csv:loans.csv', target: 'approved' }, ctx([[7]]));
    expect(ds.task).toBe('classification');
    expect(ds.classNames).toEqual(['no', 'yes']);
    expect(ds.featureNames).toEqual([
      'income',
      'region=east',
      'region=north',
      'region=south',
      'owner=no',
      'owner=yes',
      'score',
    ]);
    expect(ds.encodings[0]).toEqual({
      kind: 'tabular',
      columns: [
        { name: 'income', kind: 'numeric' },
        { name: 'region', kind: 'categorical', categories: ['east', 'north', 'south'] },
        { name: 'owner', kind: 'categorical', categories: ['no', 'yes'] },
        { name: 'score', kind: 'numeric' },
      ],
    });
  });

  it('names the right Input shape when it does not match the encoded features', async () => {
    writeFile(dir, 'loans.csv', LOANS);
    const e = await dataError(loadDataset({ source: 'csv:loans.csv', target: 'approved' }, ctx([[8]])));
    expect(e.message).toContain('set the Input shape to [7]');
  });

  it('encodes rows exactly (values, one-hot slots, missing cells)', async () => {
    writeFile(dir, 'loans.csv', LOANS);
    const ds = await loadDataset({ source: 'csv:loans.csv', target: 'approved' }, ctx([[7]]));
    expect(ds.x[0].shape).toEqual([6, 7]);
    const row = (i: number) => Array.from(ds.x[0].data.slice(i * 7, i * 7 + 7));
    expect(row(0)).toEqual([52.5, 0, 1, 0, 0, 1, 700]);
    expect(row(1)).toEqual([31, 0, 0, 1, 0, 0, 640]); // owner missing → no slot set
    expect(Number.isNaN(row(2)[0])).toBe(true); // income missing → NaN, imputed later
    expect(Array.from(ds.labels ?? [])).toEqual([1, 0, 0, 1, 0, 1]);
    expect(ds.y.shape).toEqual([6, 2]);
    expect(Array.from(ds.y.data.slice(0, 4))).toEqual([0, 1, 1, 0]);
    expect(ds.warnings.join(' ')).toMatch(
      /Column "income" has 1 missing value \(row 4\); they are filled with the training rows' mean/,
    );
    expect(ds.warnings.join(' ')).toMatch(/Column "owner" has 1 missing value \(row 3\)/);
    expect(ds.warnings.join(' ')).toMatch(/Column "score" has 1 missing value \(row 5\)/);
  });

  it('honours features and ignore, and a one-unit sigmoid output gets a 0/1 target', async () => {
    writeFile(dir, 'loans.csv', LOANS);
    const ds = await loadDataset(
      { source: 'csv:loans.csv', target: 'approved', ignore: ['region', 'owner'] } as never,
      ctx([[2]], { outputShapes: [[1]], losses: ['binaryCrossentropy'] }),
    );
    expect(ds.featureNames).toEqual(['income', 'score']);
    expect(ds.targetEncoding).toBe('binary');
    expect(Array.from(ds.y.data)).toEqual([1, 0, 0, 1, 0, 1]);
    const only = await loadDataset(
      { source: 'csv:loans.csv', target: 'approved', features: ['score'] } as never,
      ctx([[1]]),
    );
    expect(only.featureNames).toEqual(['score']);
  });

  it('a numeric target is regression; the last column is the default target', async () => {
    writeFile(dir, 'house.csv', 'rooms,area,price\n3,70,210\n4,95,290.5\n2,50,150\n');
    const ds = await loadDataset({ source: 'csv:house.csv' }, ctx([[2]]));
    expect(ds.task).toBe('regression');
    expect(ds.targetNames).toEqual(['price']);
    expect(Array.from(ds.y.data)).toEqual([210, 290.5, 150]);
  });

  it('detects a missing header row and names columns column1…', async () => {
    writeFile(dir, 'raw.csv', '1,2,a\n3,4,b\n5,6,a\n');
    const ds = await loadDataset({ source: 'csv:raw.csv' }, ctx([[2]]));
    expect(ds.featureNames).toEqual(['column1', 'column2']);
    expect(ds.classNames).toEqual(['a', 'b']);
    expect(ds.x[0].shape).toEqual([3, 2]);
  });

  it('drops rows without a target, with a warning', async () => {
    writeFile(dir, 'gaps.csv', 'a,b,label\n1,2,x\n3,4,\n5,6,y\n');
    const ds = await loadDataset({ source: 'csv:gaps.csv' }, ctx([[2]]));
    expect(ds.y.shape[0]).toBe(2);
    expect(ds.warnings.join(' ')).toContain('1 row has no target value (row 3)');
  });
});

describe('csv: bad data gets one sentence naming file, row and column', () => {
  it('ragged row', async () => {
    writeFile(dir, 'ragged.csv', 'a,b,c\n1,2,3\n4,5\n');
    const e = await dataError(loadDataset({ source: 'csv:ragged.csv' }, ctx([[2]])));
    expect(e.message).toBe(
      'ragged.csv row 3 has 2 values but the header has 3 columns; column "c" has no value.',
    );
    expect(e.where).toEqual({ file: 'ragged.csv', row: 3, column: 'c' });
    writeFile(dir, 'long.csv', 'a,b,c\n1,2,3\n4,5,6,7\n');
    const long = await dataError(loadDataset({ source: 'csv:long.csv' }, ctx([[2]])));
    expect(long.message).toBe(
      'long.csv row 3 has 4 values but the header has 3 columns; "7" lies beyond the last column "c".',
    );
  });

  it('non-numeric value in a numeric feature column', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i * 2},${i % 2 ? 'x' : 'y'}`);
    rows[12] = '12,twelve,x';
    writeFile(dir, 'bad.csv', ['a,b,label', ...rows].join('\n'));
    const e = await dataError(loadDataset({ source: 'csv:bad.csv' }, ctx([[2]])));
    expect(e.message).toBe(
      `bad.csv row 14, column "b": "twelve" is not a number, but the column's other values are numbers.`,
    );
    expect(e.where).toEqual({ file: 'bad.csv', row: 14, column: 'b' });
  });

  it('non-numeric regression target', async () => {
    writeFile(dir, 't.csv', 'a,y\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n9,10\n10,n/x\n');
    const e = await dataError(loadDataset({ source: 'csv:t.csv' }, ctx([[1]])));
    expect(e.message).toMatch(/^t\.csv row 11, column "y": "n\/x" is not a number/);
  });

  it('empty file, header-only file, missing file, unknown column, unterminated quote', async () => {
    writeFile(dir, 'empty.csv', '\n\n');
    expect((await dataError(loadDataset({ source: 'csv:empty.csv' }, ctx([[1]])))).message).toBe(
      'empty.csv is empty.',
    );
    writeFile(dir, 'head.csv', 'a,b\n');
    expect((await dataError(loadDataset({ source: 'csv:head.csv' }, ctx([[1]])))).message).toBe(
      'head.csv has a header row but no data rows.',
    );
    expect((await dataError(loadDataset({ source: 'csv:nope.csv' }, ctx([[1]])))).message).toMatch(
      /nope\.csv does not exist/,
    );
    writeFile(dir, 'ok.csv', 'a,b\n1,x\n2,y\n');
    expect((await dataError(loadDataset({ source: 'csv:ok.csv', target: 'z' }, ctx([[1]])))).message).toBe(
      'data.target names "z", which is not a column of ok.csv (its columns are a, b).',
    );
    writeFile(dir, 'quote.csv', 'a,b\n1,"x\n2,y\n');
    expect((await dataError(loadDataset({ source: 'csv:quote.csv' }, ctx([[1]])))).message).toMatch(
      /^quote\.csv row \d+ has a quote that is never closed\.$/,
    );
    expect((await dataError(loadDataset({ source: 'foo.csv' }, ctx([[1]])))).message).toContain(
      'is not understood',
    );
  });
});

describe('csv: preview', () => {
  it('shows columns, first rows, per-column facts, class balance and warnings', async () => {
    writeFile(dir, 'loans.csv', LOANS);
    const p = await previewData({ source: 'csv:loans.csv', target: 'approved' }, dir);
    expect(p.columns).toEqual(['income', 'region', 'owner', 'score', 'approved']);
    expect(p.rows[0]).toEqual([52.5, 'north', 'yes', 700, 'yes']);
    expect(p.rows[2]).toEqual([null, 'east', 'no', 580, 'no']);
    expect(p.count).toBe(6);
    expect(p.summary.income).toMatchObject({
      kind: 'numeric',
      role: 'feature',
      missing: 1,
      min: 31,
      max: 75,
    });
    expect((p.summary.income as { mean: number }).mean).toBeCloseTo((52.5 + 31 + 75 + 40 + 66) / 5, 6);
    expect(p.summary.region).toMatchObject({
      kind: 'categorical',
      missing: 0,
      distinct: 3,
      categories: ['east', 'north', 'south'],
    });
    expect(p.summary.approved).toMatchObject({ role: 'target' });
    expect(p.classBalance).toEqual({ no: 3, yes: 3 });
    expect(p.warnings.some((w) => w.includes('"income" has 1 missing value'))).toBe(true);
  });

  it('reports a bad cell as a warning instead of failing', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? 'x' : 'y'}`);
    rows[3] = 'oops,x';
    writeFile(dir, 'bad.csv', ['a,label', ...rows].join('\n'));
    const p = await previewData({ source: 'csv:bad.csv' }, dir);
    expect(p.count).toBe(20);
    expect(p.warnings[0]).toContain('bad.csv row 5, column "a": "oops" is not a number');
  });
});
