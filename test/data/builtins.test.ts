import { describe, expect, it } from 'vitest';
import { DataError, loadDataset, previewData, type Dataset } from '../../engine/data/index.ts';

const load = (data: object, inputShape: number[], extra: object = {}) =>
  loadDataset({ ...data } as never, { projectDir: '.', inputShapes: [inputShape], seed: 42, ...extra });

const balance = (ds: Dataset) => {
  const c = new Array<number>(ds.classNames?.length ?? 0).fill(0);
  ds.labels?.forEach((l) => c[l]++);
  return c;
};

describe('builtin datasets, loaded from the packages on disk', () => {
  it('iris: 150 rows, 4 features, 3 balanced species', async () => {
    const ds = await load({ source: 'builtin:iris' }, [4]);
    expect(ds.x[0].shape).toEqual([150, 4]);
    expect(ds.y.shape).toEqual([150, 3]);
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(balance(ds)).toEqual([50, 50, 50]);
    expect(Array.from(ds.x[0].data.slice(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
  });

  it('mnist: the 10,000 real digits, 28×28×1 in [0, 1], or flattened for a Dense input', async () => {
    const ds = await load({ source: 'builtin:mnist' }, [28, 28, 1]);
    expect(ds.x[0].shape).toEqual([10000, 28, 28, 1]);
    expect(ds.y.shape).toEqual([10000, 10]);
    expect(balance(ds)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.x[0].data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const flat = await load({ source: 'builtin:mnist', samples: 500 }, [784]);
    expect(flat.x[0].shape).toEqual([500, 784]);
  });

  it('sp500: daily closes windowed for a forecaster, with the naive baseline', async () => {
    const ds = await load({ source: 'builtin:sp500', window: { length: 30, horizon: 1 } }, [30, 1]);
    expect(ds.task).toBe('forecast');
    expect(ds.x[0].shape[1]).toBe(30);
    expect(ds.x[0].shape[0]).toBeGreaterThan(5000);
    expect(ds.y.shape).toEqual([ds.x[0].shape[0], 1]);
    // The naive prediction is the last close in the window; the target is the next close.
    expect(ds.naive?.data[0]).toBe(ds.x[0].data[29]);
    expect(ds.x[0].data[0]).toBeCloseTo(1455.22, 2); // close on 2000-01-03
    expect(ds.y.data[0]).toBe(ds.x[0].data[30 + 29]); // = the last step of the next window
  });

  it('stocks: one symbol of the vega-datasets stocks table', async () => {
    const ds = await load({ source: 'builtin:stocks', symbol: 'MSFT', window: { length: 12 } }, [12, 1]);
    expect(ds.x[0].data[0]).toBeCloseTo(39.81, 2);
    const e = await load({ source: 'builtin:stocks', symbol: 'XYZ', window: { length: 12 } }, [12, 1]).catch(
      (x: unknown) => x,
    );
    expect((e as Error).message).toBe(
      'builtin:stocks has no symbol "XYZ"; it has MSFT, AMZN, IBM, GOOG, AAPL.',
    );
  });

  it('other vega-datasets CSVs by name; unknown names are a clear error', async () => {
    const ds = await load({ source: 'builtin:seattle-weather', target: 'weather' }, [4]);
    expect(ds.classNames).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    expect(ds.warnings.join(' ')).toContain('Column "date" is not used as a feature');
    const e = await load({ source: 'builtin:nothing' }, [4]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toMatch(/^There is no builtin dataset "nothing"/);
  });

  it('credit (synthetic): 10 features, binary target for a single sigmoid unit', async () => {
    const ds = await load({ source: 'builtin:credit' }, [10], {
      outputShapes: [[1]],
      losses: ['meanSquaredError'],
    });
    expect(ds.x[0].shape).toEqual([1000, 10]);
    expect(ds.targetEncoding).toBe('binary');
    const rate = ds.y.data.reduce((a, b) => a + b, 0) / 1000;
    expect(rate).toBeGreaterThan(0.2);
    expect(rate).toBeLessThan(0.4);
  });

  it('defects (synthetic): seeded images whose defects show in the pixels', async () => {
    const a = await load({ source: 'builtin:defects', samples: 200 }, [32, 32, 1]);
    const b = await load({ source: 'builtin:defects', samples: 200 }, [32, 32, 1]);
    const c = await loadDataset({ source: 'builtin:defects', samples: 200 } as never, {
      projectDir: '.',
      inputShapes: [[32, 32, 1]],
      seed: 7,
    });
    expect(a.x[0].data).toEqual(b.x[0].data);
    expect(a.x[0].data).not.toEqual(c.x[0].data);
    expect(a.classNames).toEqual(['crack', 'ok', 'scratch', 'spot']);
    expect(balance(a)).toEqual([50, 50, 50, 50]);
    expect(a.warnings[0]).toContain('synthetic');
    // Per image: deviation of its most extreme pixel from its median. Defects stand out, ok parts don't.
    const contrast = (cls: number) => {
      const out: number[] = [];
      a.labels?.forEach((l, i) => {
        if (l !== cls) return;
        const px = Array.from(a.x[0].data.slice(i * 1024, i * 1024 + 1024)).sort((p, q) => p - q);
        const med = px[512];
        out.push(Math.max(med - px[0], px[1023] - med));
      });
      return out.reduce((s, v) => s + v, 0) / out.length;
    };
    const ok = contrast(1);
    for (const cls of [0, 2, 3]) expect(contrast(cls)).toBeGreaterThan(ok + 0.08);
    const rgb = await load({ source: 'builtin:defects', samples: 8 }, [20, 24, 3]);
    expect(rgb.x[0].shape).toEqual([8, 20, 24, 3]);
  });

  it('bearings (synthetic): fault signals are impulsive (high kurtosis), healthy ones are not', async () => {
    const ds = await load({ source: 'builtin:bearings', samples: 150 }, [256, 1]);
    expect(ds.x[0].shape).toEqual([150, 256, 1]);
    expect(ds.classNames).toEqual(['healthy', 'inner-race', 'outer-race']);
    const kurtosis = (cls: number) => {
      const ks: number[] = [];
      ds.labels?.forEach((l, i) => {
        if (l !== cls) return;
        const s = Array.from(ds.x[0].data.slice(i * 256, i * 256 + 256));
        const m = s.reduce((a, b) => a + b, 0) / 256;
        const v = s.reduce((a, b) => a + (b - m) ** 2, 0) / 256;
        ks.push(s.reduce((a, b) => a + (b - m) ** 4, 0) / 256 / (v * v));
      });
      return ks.reduce((a, b) => a + b, 0) / ks.length;
    };
    expect(kurtosis(0)).toBeLessThan(3.2);
    expect(kurtosis(1)).toBeGreaterThan(3.5);
    expect(kurtosis(2)).toBeGreaterThan(3.5);
    const e = await load({ source: 'builtin:bearings' }, [16, 16, 1]).catch((x: unknown) => x);
    expect((e as Error).message).toContain('the Input shape must be [length, 1]');
  });

  it('sine (synthetic) and a mismatched class count', async () => {
    const ds = await load({ source: 'builtin:sine', window: { length: 10 } }, [10, 1]);
    expect(ds.x[0].shape).toEqual([990, 10, 1]);
    const e = await load({ source: 'builtin:iris' }, [4], { outputShapes: [[10]] }).catch((x: unknown) => x);
    expect((e as Error).message).toBe(
      "builtin:iris has 3 classes (setosa, versicolor, virginica) but the model's output has 10 units; set the last layer's units to 3.",
    );
  });

  it('preview of tensor builtins: count, shape and class balance', async () => {
    const p = await previewData({ source: 'builtin:bearings' }, '.');
    expect(p.count).toBe(900);
    expect(p.classBalance).toEqual({ healthy: 300, 'inner-race': 300, 'outer-race': 300 });
    expect(p.summary.sample).toMatchObject({ kind: 'signal', shape: [256, 1] });
    expect(p.warnings[0]).toContain('synthetic');
    const sp = await previewData({ source: 'builtin:sp500', window: { length: 30 } } as never, '.');
    expect(sp.columns).toEqual(['date', 'open', 'high', 'low', 'close', 'adjclose', 'volume']);
    expect(sp.summary.close).toMatchObject({ kind: 'numeric', role: 'target' });
    expect(sp.summary.open).toMatchObject({ role: 'ignore' });
  });
});
