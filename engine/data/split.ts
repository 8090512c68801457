// Seeded train / validation / test splits (stratified for classification, in time order for
// forecasts) and k-fold cross-validation folds.
import { createRng, shuffleInPlace, type Rng } from '../random.ts';
import { takeRows } from './tensor.ts';
import { DataError, type Dataset, type SplitOptions, type Splits } from './types.ts';

export const sampleCount = (ds: Dataset): number => ds.y.shape[0];

export function subsetDataset(ds: Dataset, indices: number[]): Dataset {
  return {
    ...ds,
    x: ds.x.map((t) => takeRows(t, indices)),
    y: takeRows(ds.y, indices),
    labels: ds.labels ? Int32Array.from(indices, (i) => (ds.labels as Int32Array)[i]) : undefined,
    naive: ds.naive ? takeRows(ds.naive, indices) : undefined,
    sourceRows: ds.sourceRows ? indices.map((i) => (ds.sourceRows as number[])[i]) : undefined,
  };
}

/** Index groups: one per class when stratifying, else one group of all samples. */
function groups(n: number, labels: Int32Array | undefined, stratify: boolean): number[][] {
  if (!stratify || !labels) return [Array.from({ length: n }, (_, i) => i)];
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => {
    const list = byClass.get(c);
    if (list) list.push(i);
    else byClass.set(c, [i]);
  });
  return [...byClass.keys()].sort((a, b) => a - b).map((c) => byClass.get(c) as number[]);
}

/** What a split needs to know of a dataset: the streamed loader has no rows in memory, only these. */
export interface SplitSubject {
  samples: number;
  task: Dataset['task'];
  labels?: Int32Array;
  source: string;
}

/** The train / validation / test sample indices, each in the order training and evaluation use. */
export function splitIndices(d: SplitSubject, opts: SplitOptions): Splits['indices'] {
  const n = d.samples;
  const { testSplit, validationSplit } = opts;
  if (!(testSplit >= 0 && testSplit < 1) || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new DataError('testSplit and validationSplit must each be at least 0 and below 1.', 'invalid');
  }
  const chronological = opts.chronological ?? d.task === 'forecast';
  const rng = createRng(opts.seed);
  let train: number[] = [];
  let validation: number[] = [];
  let test: number[] = [];
  if (chronological) {
    // Train on the past, validate on what follows, test on the most recent samples.
    const nTest = Math.round(n * testSplit);
    const nVal = Math.round((n - nTest) * validationSplit);
    const nTrain = n - nTest - nVal;
    const all = Array.from({ length: n }, (_, i) => i);
    [train, validation, test] = [
      all.slice(0, nTrain),
      all.slice(nTrain, nTrain + nVal),
      all.slice(nTrain + nVal),
    ];
  } else {
    for (const g of groups(n, d.labels, opts.stratify ?? d.task === 'classification')) {
      const idx = shuffleInPlace(g, rng);
      const nTest = Math.round(idx.length * testSplit);
      const nVal = Math.round((idx.length - nTest) * validationSplit);
      // Element by element: spreading a group of 100,000s of indices into push overflows the stack.
      for (let i = 0; i < idx.length; i++)
        (i < nTest ? test : i < nTest + nVal ? validation : train).push(idx[i]);
    }
    [train, validation, test] = [train, validation, test].map((s) => shuffleInPlace(s, rng));
  }
  if (train.length === 0)
    throw new DataError(
      `${d.source} has ${n} samples, too few to keep any for training after the test and validation splits.`,
      'invalid',
    );
  if (testSplit > 0 && test.length === 0)
    throw new DataError(
      `${d.source} has ${n} samples, too few to hold out a test split of ${testSplit}.`,
      'invalid',
    );
  return { train, validation, test };
}

export function splitDataset(ds: Dataset, opts: SplitOptions): Splits {
  const indices = splitIndices(
    { samples: sampleCount(ds), task: ds.task, labels: ds.labels, source: ds.source },
    opts,
  );
  const { train, validation, test } = indices;
  return {
    train: subsetDataset(ds, train),
    validation: validation.length > 0 ? subsetDataset(ds, validation) : null,
    test: subsetDataset(ds, test),
    indices,
  };
}

/** k folds: each sample is in exactly one test fold; stratified for classification, contiguous blocks for forecasts. */
export function kFoldSplits(
  ds: Dataset,
  k: number,
  seed: number,
): { train: Dataset; test: Dataset; indices: { train: number[]; test: number[] } }[] {
  const n = sampleCount(ds);
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new DataError(
      `Cross-validation needs a whole number of folds from 2 to ${n}; it is ${k}.`,
      'invalid',
    );
  const folds: number[][] = Array.from({ length: k }, () => []);
  if (ds.task === 'forecast') {
    for (let i = 0; i < n; i++) folds[Math.min(k - 1, Math.floor((i * k) / n))].push(i);
  } else {
    const rng: Rng = createRng(seed);
    let next = 0;
    for (const g of groups(n, ds.labels, ds.task === 'classification')) {
      for (const i of shuffleInPlace([...g], rng)) folds[next++ % k].push(i);
    }
  }
  return folds.map((test, f) => {
    const train = folds.filter((_, j) => j !== f).flat();
    return { train: subsetDataset(ds, train), test: subsetDataset(ds, test), indices: { train, test } };
  });
}
