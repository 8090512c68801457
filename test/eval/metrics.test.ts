import { describe, expect, it } from 'vitest';
import { classificationMetrics, meanStd, regressionMetrics } from '../../engine/eval/metrics.ts';
import { BestTracker, LrScheduler, earlyStopDue } from '../../engine/train/callbacks.ts';

describe('classification metrics against a confusion matrix worked by hand', () => {
  // true:      a a a a b b b c c c
  // predicted: a a b c b b a c c b
  const actual = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];
  const m = classificationMetrics(actual, predicted, ['a', 'b', 'c']);

  it('counts the confusion matrix as [true][predicted]', () => {
    expect(m.confusionMatrix.matrix).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(6 / 10, 12);
    expect(m.samples).toBe(10);
  });

  it('computes per-class precision, recall, F1 and support', () => {
    // a: tp 2, predicted-as-a 3, support 4 → P 2/3, R 1/2, F1 = 2·(2/3)(1/2)/(2/3+1/2) = 4/7
    // b: tp 2, predicted-as-b 4, support 3 → P 1/2, R 2/3, F1 4/7
    // c: tp 2, predicted-as-c 3, support 3 → P 2/3, R 2/3, F1 2/3
    const [a, b, c] = m.perClass;
    expect([a.precision, a.recall, a.f1, a.support]).toEqual([2 / 3, 1 / 2, expect.closeTo(4 / 7, 12), 4]);
    expect([b.precision, b.recall, b.f1, b.support]).toEqual([1 / 2, 2 / 3, expect.closeTo(4 / 7, 12), 3]);
    expect([c.precision, c.recall, c.f1, c.support]).toEqual([2 / 3, 2 / 3, expect.closeTo(2 / 3, 12), 3]);
  });

  it('averages macro precision / recall / F1 over the classes, unweighted', () => {
    expect(m.macro.precision).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3, 12);
    expect(m.macro.recall).toBeCloseTo((1 / 2 + 2 / 3 + 2 / 3) / 3, 12);
    expect(m.macro.f1).toBeCloseTo((4 / 7 + 4 / 7 + 2 / 3) / 3, 12);
  });

  it('gives 0, not NaN, for a class that is never predicted', () => {
    const z = classificationMetrics([0, 1], [0, 0], ['x', 'y']);
    expect(z.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe('regression metrics by hand', () => {
  it('MSE, MAE, RMSE and R²', () => {
    // actual 1 2 3 4 (mean 2.5, SS_tot = 2.25+0.25+0.25+2.25 = 5); predicted 1.5 2 2 5 → errors -0.5 0 1 -1
    const m = regressionMetrics([1, 2, 3, 4], [1.5, 2, 2, 5]);
    expect(m.mse).toBeCloseTo((0.25 + 0 + 1 + 1) / 4, 12);
    expect(m.mae).toBeCloseTo((0.5 + 0 + 1 + 1) / 4, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(2.25 / 4), 12);
    expect(m.r2).toBeCloseTo(1 - 2.25 / 5, 12);
  });

  it('R² is 1 for a perfect fit and negative when worse than the mean', () => {
    expect(regressionMetrics([1, 2, 3], [1, 2, 3]).r2).toBe(1);
    expect(regressionMetrics([1, 2, 3], [3, 2, 1]).r2).toBeCloseTo(1 - 8 / 2, 12);
  });

  it('mean ± population std for k-fold summaries', () => {
    expect(meanStd([0.9, 1.0, 0.8])).toEqual({
      mean: expect.closeTo(0.9, 12),
      std: expect.closeTo(Math.sqrt(0.02 / 3), 12),
    });
  });
});

describe('epoch-end decisions', () => {
  it('early stopping is due after `patience` epochs without improvement (lower is better for losses)', () => {
    const t = new BestTracker('val_loss');
    const config = { patience: 2, minDelta: 0, restoreBestWeights: true };
    const due = [1.0, 0.8, 0.9, 0.85].map((v, i) => (t.update(i + 1, v), earlyStopDue(t, config)));
    expect(due).toEqual([false, false, false, true]);
    expect(t.bestEpoch).toBe(2);
  });

  it('accuracy monitors prefer higher values', () => {
    const t = new BestTracker('val_accuracy');
    t.update(1, 0.5);
    expect(t.update(2, 0.7)).toBe(true);
    expect(t.update(3, 0.6)).toBe(false);
    expect(t.best).toBe(0.7);
  });

  it('reduce-on-plateau cuts the rate by its factor after `patience` flat epochs, not below the floor', () => {
    const s = new LrScheduler(
      { type: 'plateau', factor: 0.1, patience: 1, minDelta: 0, minLearningRate: 0.0005 },
      0.01,
      'loss',
    );
    let lr = 0.01;
    const seen = [1, 0.9, 0.95, 0.95, 0.97].map((loss, i) => (lr = s.next(i + 1, lr, { loss, metrics: {} })));
    expect(seen).toEqual([0.01, 0.01, 0.001, 0.0005, 0.0005]);
  });
});
