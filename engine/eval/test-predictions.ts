// The model's predictions on a run's test split, for the results views: forecast (or regression)
// against the actual values beside the naive last-value forecast, or the misclassified samples with
// their image or row, each with its test index so the Explain tab can explain that very sample.
import { selectBackend } from '../backend.ts';
import { applyPreprocessing, invertTarget } from '../data/index.ts';
import type { Dataset, TensorData } from '../data/types.ts';
import type { MisclassifiedExample, TestPredictions } from '../api.ts';
import { EngineError } from '../api.ts';
import { testSplitOfRun } from '../train/data-context.ts';
import { loadRunModel, openRun } from '../runs/load-run.ts';
import { classIndices, predictBatches } from './evaluate.ts';
import { regressionMetrics } from './metrics.ts';

/** Points a forecast plot gets at most: more are thinned evenly (a plot is a few hundred pixels wide). */
const MAX_PLOT_POINTS = 2000;

const sampleOf = (t: TensorData, i: number): Float32Array => {
  const size = t.data.length / t.shape[0];
  return t.data.subarray(i * size, (i + 1) * size);
};

/** Every column of the first output, thinned to at most MAX_PLOT_POINTS samples. */
function firstColumn(t: TensorData, picks: number[]): number[] {
  const k = t.data.length / t.shape[0];
  return picks.map((i) => t.data[i * k]);
}

export async function testPredictions(runDir: string, limit = 24): Promise<TestPredictions> {
  const run = await openRun(runDir);
  let test: Dataset;
  try {
    test = await testSplitOfRun(run);
  } catch (err) {
    throw new EngineError({
      code: 'unavailable',
      message: `The run's data could not be loaded again, so its test predictions can't be shown (${err instanceof Error ? err.message : String(err)}).`,
    });
  }
  const { tf } = await selectBackend('auto');
  const model = await loadRunModel(tf, run);
  let output: TensorData;
  try {
    output = await predictBatches(tf, model, applyPreprocessing(run.prep, test).x);
  } finally {
    model.dispose();
  }
  const n = test.y.shape[0];
  if (test.task === 'classification') {
    const names = run.prep.classNames ?? test.classNames ?? [];
    const labels = test.labels ?? classIndices(test.y);
    const picked = classIndices(output);
    const cols = output.data.length / n;
    const imageInput = run.prep.encodings.findIndex((e) => e.kind === 'image');
    const encoding = run.prep.encodings[imageInput];
    const examples: MisclassifiedExample[] = [];
    let misclassifiedCount = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] === picked[i]) continue;
      misclassifiedCount++;
      if (examples.length >= limit) continue;
      const row = sampleOf(output, i);
      const probability = cols === 1 ? (picked[i] === 1 ? row[0] : 1 - row[0]) : row[picked[i]];
      const example: MisclassifiedExample = {
        index: i,
        actual: names[labels[i]] ?? String(labels[i]),
        predicted: names[picked[i]] ?? String(picked[i]),
        probability,
      };
      if (encoding?.kind === 'image') {
        const pixels = sampleOf(test.x[imageInput], i);
        example.image = {
          width: encoding.width,
          height: encoding.height,
          channels: encoding.channels,
          pixels: Array.from(pixels, (v) => Math.round(255 * Math.min(1, Math.max(0, v)))),
        };
      } else {
        example.values = test.x.flatMap((t) =>
          Array.from(sampleOf(t, i), (v) => (Number.isNaN(v) ? null : v)),
        );
        if (test.sourceRows) example.sourceRow = test.sourceRows[i];
      }
      examples.push(example);
    }
    return {
      task: 'classification',
      samples: n,
      misclassifiedCount,
      kind: encoding ? 'image' : 'table',
      ...(encoding ? {} : { columns: test.featureNames ?? [] }),
      examples,
    };
  }
  const predicted = invertTarget(run.prep, output, test.x);
  const step = Math.max(1, Math.ceil(n / MAX_PLOT_POINTS));
  const picks = Array.from({ length: Math.ceil(n / step) }, (_, k) => k * step);
  const naive = test.task === 'forecast' ? test.naive : undefined;
  return {
    task: test.task,
    samples: n,
    target: test.targetNames?.[0] ?? 'value',
    actual: firstColumn(test.y, picks),
    predicted: firstColumn(predicted, picks),
    ...(naive ? { naive: firstColumn(naive, picks) } : {}),
    mae: regressionMetrics(test.y.data, predicted.data).mae,
    ...(naive ? { naiveMae: regressionMetrics(test.y.data, naive.data).mae } : {}),
  };
}
