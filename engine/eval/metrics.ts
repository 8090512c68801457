// Evaluation metrics on plain arrays (no tfjs): classification (accuracy, per-class and macro
// precision / recall / F1, confusion matrix) and regression (MSE, MAE, RMSE, R²).

export interface ClassMetrics {
  className: string;
  precision: number;
  recall: number;
  f1: number;
  /** How many test samples truly belong to the class. */
  support: number;
}

export interface ClassificationMetrics {
  task: 'classification';
  samples: number;
  accuracy: number;
  perClass: ClassMetrics[];
  /** Unweighted mean over classes (scikit-learn's average='macro'). */
  macro: { precision: number; recall: number; f1: number };
  /** matrix[true][predicted] = count; rows and columns follow `labels`. */
  confusionMatrix: { labels: string[]; matrix: number[][] };
}

export interface RegressionMetrics {
  mse: number;
  mae: number;
  rmse: number;
  /** 1 − SS_res / SS_tot; 0 when the targets are constant and predicted exactly, −∞-free. */
  r2: number;
}

/** 0/0 is taken as 0, as scikit-learn does with zero_division=0. */
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function classificationMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classNames: string[],
): ClassificationMetrics {
  if (actual.length !== predicted.length)
    throw new Error(`${actual.length} labels but ${predicted.length} predictions.`);
  const k = classNames.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const p = predicted[i];
    if (a < 0 || a >= k || p < 0 || p >= k) throw new Error(`Class index out of range at sample ${i}.`);
    matrix[a][p]++;
    if (a === p) correct++;
  }
  const perClass = classNames.map((className, c) => {
    const tp = matrix[c][c];
    const support = matrix[c].reduce((s, v) => s + v, 0);
    const predictedAsC = matrix.reduce((s, row) => s + row[c], 0);
    const precision = ratio(tp, predictedAsC);
    const recall = ratio(tp, support);
    return { className, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const mean = (f: (m: ClassMetrics) => number) =>
    ratio(
      perClass.reduce((s, m) => s + f(m), 0),
      k,
    );
  return {
    task: 'classification',
    samples: actual.length,
    accuracy: ratio(correct, actual.length),
    perClass,
    macro: { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) },
    confusionMatrix: { labels: [...classNames], matrix },
  };
}

/** Metrics over every value of `actual` vs `predicted` (flattened; all targets pooled). */
export function regressionMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): RegressionMetrics {
  const n = actual.length;
  if (n !== predicted.length) throw new Error(`${n} targets but ${predicted.length} predictions.`);
  if (n === 0) return { mse: 0, mae: 0, rmse: 0, r2: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i];
  mean /= n;
  let se = 0;
  let ae = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const d = actual[i] - predicted[i];
    se += d * d;
    ae += Math.abs(d);
    ssTot += (actual[i] - mean) ** 2;
  }
  const mse = se / n;
  return { mse, mae: ae / n, rmse: Math.sqrt(mse), r2: ssTot === 0 ? (se === 0 ? 1 : 0) : 1 - se / ssTot };
}

/** Index of the largest value in each row of a row-major [rows, cols] array. */
export function argmaxRows(values: ArrayLike<number>, cols: number): Int32Array {
  const rows = Math.floor(values.length / cols);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (values[r * cols + c] > values[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Mean and (population) standard deviation, for k-fold summaries. */
export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length);
  return { mean, std: Math.sqrt(variance) };
}
