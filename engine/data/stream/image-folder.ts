// An image folder too large to decode up front (docs/DATA.md, "Large image folders"): the listing
// gives the labels and the split, as for a folder in memory; one decoding pass over the training
// images sums the per-channel statistics in training order (so the preprocessing is the in-memory
// one); validation and test are decoded into memory; training batches are decoded from disk as the
// loop asks for them.
import { readFileSync } from 'node:fs';
import { parseSource } from '../load.ts';
import { FeatureStatsAccumulator, preprocessingFromStats, scaleInto } from '../preprocess.ts';
import { splitIndices } from '../split.ts';
import { classificationTarget } from '../target.ts';
import { takeRows } from '../tensor.ts';
import {
  checkClassCount,
  decodeImage,
  imageShapeOf,
  listImageFolder,
  listingWarnings,
  toPixels,
  type ImageListing,
  type ImageShape,
} from '../images.ts';
import {
  DataError,
  type Dataset,
  type DataSpec,
  type LoadContext,
  type Preprocessing,
  type SplitOptions,
} from '../types.ts';

/** Folders whose images take more than this decoded (float32 at the Input's size) stream from disk. */
export const DEFAULT_STREAM_IMAGE_BYTES = 1024 * 1024 * 1024;

/** NETWRIGHT_STREAM_IMAGE_BYTES (tests lower it), else the default. */
export function imageStreamThresholdBytes(): number {
  const env = Number(process.env.NETWRIGHT_STREAM_IMAGE_BYTES);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_STREAM_IMAGE_BYTES;
}

export interface StreamedImageFolder {
  folder: string;
  listing: ImageListing;
  shape: ImageShape;
}

/**
 * The folder behind an images: source that is streamed: one model input, and its images decoded
 * would take more than the threshold. Null otherwise (the in-memory loader also gives the refusals).
 */
export async function streamedImageFolder(
  spec: DataSpec,
  projectDir: string,
  inputShapes: number[][],
): Promise<StreamedImageFolder | null> {
  if (inputShapes.length !== 1 || spec.inputs !== undefined) return null;
  const src = parseSource(spec.source, projectDir);
  if (src.kind !== 'images') return null;
  let shape: ImageShape;
  try {
    shape = imageShapeOf(inputShapes[0], spec.source);
  } catch {
    return null;
  }
  const listing = await listImageFolder(src.folder);
  checkClassCount(listing, src.folder);
  const decodedBytes = listing.files.length * shape.height * shape.width * shape.channels * 4;
  return decodedBytes > imageStreamThresholdBytes() ? { folder: src.folder, listing, shape } : null;
}

/** One image at the Input's size, pixels in [0, 1], into `out` at `offset`. */
function decodeInto(file: string, shape: ImageShape, out: Float32Array, offset: number): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new DataError(`The image ${file} does not exist or cannot be read.`, 'unreadable', { file });
  }
  toPixels(decodeImage(bytes, file), shape, out, offset);
}

export interface StreamedImageSplits {
  /** The dataset's description without its samples. */
  meta: Dataset;
  samples: number;
  indices: { train: number[]; validation: number[]; test: number[] };
  /** Fitted on the training images (decoded once, in training order); null when not asked for. */
  prep: Preprocessing | null;
  validation: Dataset | null;
  test: Dataset;
  /** Decodes the training samples at `rows` (positions in the training split), scaled by `prep`. */
  take(rows: ArrayLike<number>): { x: Float32Array; y: Float32Array };
}

/**
 * Splits a streamed folder. `withTraining` false (re-evaluating a saved run) decodes the test
 * images only. The statistics pass yields to the event loop now and then, so `signal` (a stop from
 * the host) can end it between images.
 */
export async function streamImageSplits(
  images: StreamedImageFolder,
  spec: DataSpec,
  ctx: LoadContext,
  split: SplitOptions,
  withTraining: boolean,
  signal?: AbortSignal,
): Promise<StreamedImageSplits> {
  const { listing, shape } = images;
  const per = shape.height * shape.width * shape.channels;
  const sampleShape = [shape.height, shape.width, shape.channels];
  const labels = Int32Array.from(listing.files, (f) => f.label);
  const { y, targetEncoding } = classificationTarget(labels, listing.classNames, ctx, spec.source);
  const meta: Dataset = {
    task: 'classification',
    x: [{ data: new Float32Array(0), shape: [0, ...sampleShape] }],
    y: { data: new Float32Array(0), shape: [0, y.shape[1]] },
    classNames: listing.classNames,
    targetEncoding,
    encodings: [{ kind: 'image', ...shape }],
    warnings: listingWarnings(listing),
    source: spec.source,
  };
  const samples = listing.files.length;
  const indices = splitIndices({ samples, task: 'classification', labels, source: spec.source }, split);
  const decoded = (idx: number[]): Dataset => {
    const x = new Float32Array(idx.length * per);
    idx.forEach((i, at) => decodeInto(listing.files[i].file, shape, x, at * per));
    return {
      ...meta,
      x: [{ data: x, shape: [idx.length, ...sampleShape] }],
      y: takeRows(y, idx),
      labels: Int32Array.from(idx, (i) => labels[i]),
    };
  };
  let prep: Preprocessing | null = null;
  if (withTraining) {
    const acc = new FeatureStatsAccumulator(shape.channels);
    const one = new Float32Array(per);
    let yielded = performance.now();
    for (const i of indices.train) {
      if (performance.now() - yielded > 25) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
      if (signal?.aborted) throw new DataError('Training was stopped while its images were read.', 'invalid');
      decodeInto(listing.files[i].file, shape, one, 0);
      acc.add(one);
    }
    const none = { mean: [], std: [], min: [], max: [] };
    prep = preprocessingFromStats(meta, [acc.result()], none, {
      scaling: spec.scaling,
      scaleTarget: spec.scaleTarget,
    });
  }
  const take = (rows: ArrayLike<number>) => {
    if (!prep) throw new Error('streamImageSplits was asked for the test split only');
    const n = rows.length;
    const raw = new Float32Array(n * per);
    const ys = new Float32Array(n * y.shape[1]);
    for (let r = 0; r < n; r++) {
      const i = indices.train[rows[r]];
      decodeInto(listing.files[i].file, shape, raw, r * per);
      ys.set(y.data.subarray(i * y.shape[1], (i + 1) * y.shape[1]), r * y.shape[1]);
    }
    const x = new Float32Array(n * per);
    scaleInto(raw, x, prep.inputs[0]);
    return { x, y: ys };
  };
  return {
    meta,
    samples,
    indices,
    prep,
    validation: withTraining && indices.validation.length > 0 ? decoded(indices.validation) : null,
    test: decoded(indices.test),
    take,
  };
}
