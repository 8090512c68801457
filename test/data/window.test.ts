import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataError,
  applyPreprocessing,
  fitPreprocessing,
  invertTarget,
  loadDataset,
  loadPredictInputs,
  windowSeries,
} from '../../engine/data/index.ts';
import { tempDir, writeFile } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('time-series windowing', () => {
  it('cuts a hand-checked series into windows with targets and the naive baseline', () => {
    // Two features per step: [t, 10t]; forecast feature 1.
    const series = Float32Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? i / 2 : (10 * (i - 1)) / 2));
    const w = windowSeries(series, 2, 1, { length: 3, horizon: 2, stride: 2 });
    // 8 steps: windows start at 0 and 2 (start 4 would need steps 4..8, one too many).
    expect(w.x.shape).toEqual([2, 3, 2]);
    expect(Array.from(w.x.data)).toEqual([0, 0, 1, 10, 2, 20, 2, 20, 3, 30, 4, 40]);
    expect(w.y.shape).toEqual([2, 2]);
    expect(Array.from(w.y.data)).toEqual([30, 40, 50, 60]);
    expect(Array.from(w.naive.data)).toEqual([20, 20, 40, 40]);
  });

  it('windows a CSV column, fills gaps with the previous value, and needs a matching Input', async () => {
    writeFile(dir, 's.csv', 'day,price\nmon,1\ntue,2\nwed,\nthu,4\nfri,5\nsat,6\n');
    const ds = await loadDataset({ source: 'csv:s.csv', window: { length: 2, column: 'price' } } as never, {
      projectDir: dir,
      inputShapes: [[2, 1]],
      seed: 1,
    });
    expect(ds.task).toBe('forecast');
    expect(ds.x[0].shape).toEqual([4, 2, 1]);
    expect(Array.from(ds.x[0].data)).toEqual([1, 2, 2, 2, 2, 4, 4, 5]);
    expect(Array.from(ds.y.data)).toEqual([2, 4, 5, 6]);
    expect(Array.from(ds.naive?.data ?? [])).toEqual([2, 2, 4, 5]);
    expect(ds.warnings[0]).toContain(
      'Column "price" has 1 missing value (row 4); each is filled with the previous value.',
    );
    const e = await loadDataset({ source: 'csv:s.csv', window: { length: 2, column: 'price' } } as never, {
      projectDir: dir,
      inputShapes: [[3, 1]],
      seed: 1,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toContain('set the Input shape to [2,1]');
  });

  it('too short a series, and a text cell in the series, are clear errors', async () => {
    writeFile(dir, 's.csv', 'price\n1\n2\n');
    const short = await loadDataset({ source: 'csv:s.csv', window: { length: 2 } } as never, {
      projectDir: dir,
      inputShapes: [[2, 1]],
      seed: 1,
    }).catch((x: unknown) => x);
    expect((short as Error).message).toBe(
      's.csv has 2 rows, too few for one window of 2 steps plus a horizon of 1.',
    );
    writeFile(dir, 't.csv', ['price', ...Array.from({ length: 19 }, (_, i) => String(i)), 'abc'].join('\n'));
    const text = await loadDataset({ source: 'csv:t.csv', window: { length: 2 } } as never, {
      projectDir: dir,
      inputShapes: [[2, 1]],
      seed: 1,
    }).catch((x: unknown) => x);
    expect((text as Error).message).toBe(
      't.csv row 21, column "price": "abc" is not a number, and a series to forecast must be numeric.',
    );
  });

  it('relative windows: the model sees changes from the last step, and invertTarget restores levels', async () => {
    writeFile(dir, 's.csv', 'price\n10\n12\n11\n15\n14\n18\n');
    const ds = await loadDataset({ source: 'csv:s.csv', window: { length: 2, relative: true } } as never, {
      projectDir: dir,
      inputShapes: [[2, 1]],
      seed: 1,
    });
    const prep = fitPreprocessing(ds, { scaling: 'none', scaleTarget: false });
    const out = applyPreprocessing(prep, ds);
    // Windows [10,12] [12,11] [11,15] [15,14]; relative to their last value; targets 11 15 14 18.
    expect(Array.from(out.x[0].data)).toEqual([-2, 0, 1, 0, -4, 0, 1, 0]);
    expect(Array.from(out.y.data)).toEqual([-1, 4, -1, 4]);
    expect(Array.from(invertTarget(prep, out.y, ds.x).data)).toEqual([11, 15, 14, 18]);
    const scaled = fitPreprocessing(ds);
    const back = invertTarget(scaled, applyPreprocessing(scaled, ds).y, ds.x);
    Array.from(back.data).forEach((v, i) => expect(v).toBeCloseTo([11, 15, 14, 18][i], 4));
  });

  it('predict inputs: the last `length` rows of a series file', async () => {
    writeFile(dir, 's.csv', 'price\n1\n2\n3\n4\n5\n6\n');
    const ds = await loadDataset({ source: 'csv:s.csv', window: { length: 3 } } as never, {
      projectDir: dir,
      inputShapes: [[3, 1]],
      seed: 1,
    });
    writeFile(dir, 'recent.csv', 'price\n7\n8\n9\n10\n');
    const p = await loadPredictInputs(fitPreprocessing(ds), `${dir}/recent.csv`);
    expect(p.x[0].shape).toEqual([1, 3, 1]);
    expect(Array.from(p.x[0].data)).toEqual([8, 9, 10]);
  });

  it('predict inputs: a tabular CSV encoded with the training categories', async () => {
    writeFile(dir, 'd.csv', 'a,color,label\n1,red,x\n2,blue,y\n3,red,x\n');
    const ds = await loadDataset({ source: 'csv:d.csv' }, { projectDir: dir, inputShapes: [[3]], seed: 1 });
    writeFile(dir, 'new.csv', 'color,a\nblue,5\ngreen,6\n');
    const p = await loadPredictInputs(fitPreprocessing(ds), `${dir}/new.csv`);
    expect(Array.from(p.x[0].data)).toEqual([5, 1, 0, 6, 0, 0]);
    expect(p.warnings[0]).toBe(
      'new.csv row 3, column "color": "green" was not seen in training; it is encoded as no category.',
    );
  });
});
