// Test-split evaluation of a trained model: predictions in batches, classification metrics from
// class indices, regression metrics in the target's original units (the saved preprocessing is
// inverted), and for forecasts the naive last-value baseline beside the model.
import type * as tfjs from '@tensorflow/tfjs';
import type { Dataset, Preprocessing, TensorData } from '../data/types.ts';
import { invertTarget } from '../data/index.ts';
import {
  argmaxRows,
  classificationMetrics,
  regressionMetrics,
  type ClassificationMetrics,
  type RegressionMetrics,
} from './metrics.ts';

export interface RegressionReport extends RegressionMetrics {
  task: 'regression' | 'forecast';
  samples: number;
  targetNames?: string[];
  /** Forecast only: the same metrics for "tomorrow = today" (last observed value). */
  naive?: RegressionMetrics;
}

export type TestMetrics = ClassificationMetrics | RegressionReport;

/** Run the model on x in batches (inference mode); returns the single output as TensorData. */
export async function predictBatches(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  x: TensorData[],
  batchSize = 256,
): Promise<TensorData> {
  const n = x[0].shape[0];
  const outShape = model.outputs[0].shape.slice(1).map((d) => d ?? 1);
  const rowSize = outShape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * rowSize);
  const inputs = x.map((t) => tf.tensor(t.data, t.shape));
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const y = tf.tidy(() => {
        const batch = inputs.map((t) => tf.slice(t, start, size));
        return model.apply(batch.length === 1 ? batch[0] : batch, { training: false }) as tfjs.Tensor;
      });
      // Read asynchronously: GPU backends (WebGPU) have no synchronous read.
      out.set((await y.data()) as Float32Array, start * rowSize);
      y.dispose();
    }
  } finally {
    tf.dispose(inputs);
  }
  return { data: out, shape: [n, ...outShape] };
}

/** Class index per sample: argmax of a probability row, or the 0.5 threshold of a single sigmoid unit. */
export function classIndices(output: TensorData): Int32Array {
  const cols = output.shape.slice(1).reduce((a, b) => a * b, 1);
  if (cols === 1) return Int32Array.from(output.data, (p) => (p > 0.5 ? 1 : 0));
  return argmaxRows(output.data, cols);
}

/**
 * Metrics of `model` on a test split. `test` is the split as loaded (targets in original units,
 * labels, naive baseline); `prep` is the fitted preprocessing, applied here to x and inverted on
 * the model's regression outputs.
 */
export async function evaluateOnTest(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  prep: Preprocessing,
  test: Dataset,
  preparedX: TensorData[],
): Promise<TestMetrics> {
  const output = await predictBatches(tf, model, preparedX);
  if (test.task === 'classification') {
    const classNames = prep.classNames ?? test.classNames ?? [];
    const labels = test.labels ?? classIndices(test.y);
    return classificationMetrics(labels, classIndices(output), classNames);
  }
  const predicted = invertTarget(prep, output, test.x);
  const report: RegressionReport = {
    task: test.task,
    samples: test.y.shape[0],
    ...regressionMetrics(test.y.data, predicted.data),
  };
  if (test.targetNames) report.targetNames = test.targetNames;
  if (test.task === 'forecast' && test.naive) report.naive = regressionMetrics(test.y.data, test.naive.data);
  return report;
}

/** The headline numbers of a metrics object, flat, for run lists and k-fold summaries. */
export function headlineMetrics(m: TestMetrics): Record<string, number> {
  if (m.task === 'classification') {
    return { accuracy: m.accuracy, precision: m.macro.precision, recall: m.macro.recall, f1: m.macro.f1 };
  }
  const flat: Record<string, number> = { mse: m.mse, mae: m.mae, rmse: m.rmse, r2: m.r2 };
  if (m.naive) Object.assign(flat, { naive_mae: m.naive.mae, naive_rmse: m.naive.rmse });
  return flat;
}
