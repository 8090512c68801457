import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyPreprocessing,
  fitPreprocessing,
  invertTarget,
  kFoldSplits,
  loadDataset,
  splitDataset,
  transformInputs,
  type Dataset,
} from '../../engine/data/index.ts';
import { tempDir, writeFile } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const iris = () => loadDataset({ source: 'builtin:iris' }, { projectDir: '.', inputShapes: [[4]], seed: 1 });
const counts = (ds: Dataset) => {
  const c = [0, 0, 0];
  ds.labels?.forEach((l) => c[l]++);
  return c;
};

describe('splits', () => {
  it('stratified: every class keeps its proportion in train, validation and test', async () => {
    const s = splitDataset(await iris(), { testSplit: 0.2, validationSplit: 0.1, seed: 7 });
    expect(counts(s.test)).toEqual([10, 10, 10]);
    expect(counts(s.validation as Dataset)).toEqual([4, 4, 4]);
    expect(counts(s.train)).toEqual([36, 36, 36]);
    const all = [...s.indices.train, ...s.indices.validation, ...s.indices.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 150 }, (_, i) => i)); // disjoint and complete
  });

  it('is seeded: same seed same split, other seed other split', async () => {
    const ds = await iris();
    const a = splitDataset(ds, { testSplit: 0.2, validationSplit: 0, seed: 3 });
    const b = splitDataset(ds, { testSplit: 0.2, validationSplit: 0, seed: 3 });
    const c = splitDataset(ds, { testSplit: 0.2, validationSplit: 0, seed: 4 });
    expect(a.indices.test).toEqual(b.indices.test);
    expect(a.indices.test).not.toEqual(c.indices.test);
    expect(a.validation).toBeNull();
  });

  it('subsets carry x, y and labels of the same rows', async () => {
    const ds = await iris();
    const s = splitDataset(ds, { testSplit: 0.2, validationSplit: 0, seed: 3 });
    const i = s.indices.test[5];
    expect(Array.from(s.test.x[0].data.slice(20, 24))).toEqual(
      Array.from(ds.x[0].data.slice(i * 4, i * 4 + 4)),
    );
    expect(s.test.labels?.[5]).toBe(ds.labels?.[i]);
    expect(Array.from(s.test.y.data.slice(15, 18))).toEqual(Array.from(ds.y.data.slice(i * 3, i * 3 + 3)));
  });

  it('forecasts split in time order: test is the most recent windows', async () => {
    const ds = await loadDataset({ source: 'builtin:sine', window: { length: 5 } } as never, {
      projectDir: '.',
      inputShapes: [[5, 1]],
      seed: 1,
    });
    const s = splitDataset(ds, { testSplit: 0.2, validationSplit: 0.1, seed: 1 });
    const n = ds.y.shape[0];
    expect(Math.max(...s.indices.train)).toBeLessThan(Math.min(...s.indices.validation));
    expect(Math.max(...s.indices.validation)).toBeLessThan(Math.min(...s.indices.test));
    expect(s.indices.test[s.indices.test.length - 1]).toBe(n - 1);
  });

  it('k-fold: each sample is tested exactly once, folds stratified', async () => {
    const folds = kFoldSplits(await iris(), 5, 1);
    const tested = folds.flatMap((f) => f.indices.test).sort((a, b) => a - b);
    expect(tested).toEqual(Array.from({ length: 150 }, (_, i) => i));
    for (const f of folds) {
      expect(counts(f.test)).toEqual([10, 10, 10]);
      expect(f.train.y.shape[0]).toBe(120);
    }
  });
});

describe('preprocessing: fitted on training rows only', () => {
  it('scaler statistics equal those computed by hand over the training rows (no leakage)', async () => {
    const ds = await iris();
    const s = splitDataset(ds, { testSplit: 0.3, validationSplit: 0.2, seed: 11 });
    const prep = fitPreprocessing(s.train, { scaling: 'standard' });
    for (let f = 0; f < 4; f++) {
      const train = s.indices.train.map((i) => ds.x[0].data[i * 4 + f]);
      const mean = train.reduce((a, b) => a + b, 0) / train.length;
      const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
      const everything = Array.from({ length: 150 }, (_, i) => ds.x[0].data[i * 4 + f]);
      const allMean = everything.reduce((a, b) => a + b, 0) / 150;
      expect(prep.inputs[0].offset[f]).toBeCloseTo(mean, 5);
      expect(prep.inputs[0].scale[f]).toBeCloseTo(std, 5);
      expect(Math.abs(prep.inputs[0].offset[f] - allMean)).toBeGreaterThan(1e-4); // it would differ had test rows leaked in
    }
    const scaled = applyPreprocessing(prep, s.train);
    const col0 = Array.from({ length: scaled.y.shape[0] }, (_, i) => scaled.x[0].data[i * 4]);
    expect(col0.reduce((a, b) => a + b, 0) / col0.length).toBeCloseTo(0, 5);
    // The saved preprocessing survives JSON and gives identical results.
    const again = JSON.parse(JSON.stringify(prep));
    expect(Array.from(transformInputs(again, s.test.x)[0].data)).toEqual(
      Array.from(applyPreprocessing(prep, s.test).x[0].data),
    );
  });

  it('min-max scaling uses the training min and max', async () => {
    const ds = await iris();
    const s = splitDataset(ds, { testSplit: 0.5, validationSplit: 0, seed: 2 });
    const prep = fitPreprocessing(s.train, { scaling: 'minmax' });
    const col = s.indices.train.map((i) => ds.x[0].data[i * 4 + 2]);
    expect(prep.inputs[0].offset[2]).toBeCloseTo(Math.min(...col), 6);
    expect(prep.inputs[0].scale[2]).toBeCloseTo(Math.max(...col) - Math.min(...col), 5);
    const t = applyPreprocessing(prep, s.train).x[0].data;
    const scaled = Array.from({ length: s.train.y.shape[0] }, (_, i) => t[i * 4 + 2]);
    expect(Math.min(...scaled)).toBeCloseTo(0, 6);
    expect(Math.max(...scaled)).toBeCloseTo(1, 6);
  });

  it('missing numbers are filled with the training mean; one-hot slots stay 0/1; targets invert', async () => {
    writeFile(dir, 'd.csv', 'num,cat,y\n1,a,10\n3,b,20\n,a,30\n100,b,40\n');
    const ds = await loadDataset({ source: 'csv:d.csv' }, { projectDir: dir, inputShapes: [[3]], seed: 1 });
    // Rows 0, 1, 2 train (row 2 has the gap), row 3 (an outlier) is test.
    const train = {
      ...ds,
      x: [{ data: ds.x[0].data.slice(0, 9), shape: [3, 3] }],
      y: { data: ds.y.data.slice(0, 3), shape: [3, 1] },
    };
    const prep = fitPreprocessing(train);
    expect(prep.inputs[0].fill[0]).toBe(2); // mean of 1 and 3, not of 1, 3, 100
    expect(prep.inputs[0].offset).toEqual([2, 0, 0]);
    expect(prep.inputs[0].scale.slice(1)).toEqual([1, 1]);
    const out = applyPreprocessing(prep, ds);
    expect(out.x[0].data[6]).toBe(0); // the gap → training mean → 0 after centring
    expect(Array.from(out.x[0].data.slice(7, 9))).toEqual([1, 0]);
    expect(prep.target?.offset[0]).toBe(20);
    const back = invertTarget(prep, out.y);
    expect(Array.from(back.data)).toEqual([10, 20, 30, 40]);
  });

  it('images are standardised per channel by default, or left in [0, 1] with scaling "none"', async () => {
    const ds = await loadDataset({ source: 'builtin:defects', samples: 40 } as never, {
      projectDir: '.',
      inputShapes: [[16, 16, 3]],
      seed: 1,
    });
    const prep = fitPreprocessing(ds);
    expect(prep.inputs[0].kind).toBe('standard');
    expect(prep.inputs[0].offset).toHaveLength(3);
    const out = applyPreprocessing(prep, ds).x[0].data;
    for (let c = 0; c < 3; c++) {
      const ch = out.filter((_, i) => i % 3 === c);
      const mean = ch.reduce((a, b) => a + b, 0) / ch.length;
      const variance = ch.reduce((a, b) => a + (b - mean) ** 2, 0) / ch.length;
      expect(mean).toBeCloseTo(0, 4);
      expect(variance).toBeCloseTo(1, 3);
    }
    const none = fitPreprocessing(ds, { scaling: 'none' });
    expect(applyPreprocessing(none, ds).x[0].data).toEqual(ds.x[0].data);
  });
});
