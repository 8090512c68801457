// The parity check run on every export: the ONNX file in onnxruntime-node and the tfjs model on the
// same seeded inputs (plus real samples when given); it passes when every output element agrees to
// 1e-4, relative to the element's magnitude above 1 (|onnx − tfjs| ≤ 1e-4 · max(1, |tfjs|)).
import type * as tfjs from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ParityReport } from '../api.ts';
import type { Shape } from '../layers/types.ts';
import { gaussian } from '../random.ts';
import { mulberry32 } from '../random.ts';

export const PARITY_TOLERANCE = 1e-4;
/** Relative differences are reported over elements at least this large (tiny ones make no sense). */
const REL_FLOOR = 1e-3;
const UNKNOWN_DIM_SAMPLE = 6;

export interface ParityInputSpec {
  name: string;
  shape: Shape;
  /** Integer ids in [0, maxId) instead of Gaussian floats (inputs of an Embedding). */
  maxId?: number;
}

export interface ParityRequest {
  tf: typeof tfjs;
  model: tfjs.LayersModel;
  onnxBytes: Uint8Array;
  /** In the order of model.inputs. */
  inputs: ParityInputSpec[];
  /** ONNX output names in the order of model.outputs. */
  outputs: string[];
  samples?: number;
  seed?: number;
  /** Real samples (e.g. from the run's dataset), by input name, flattened, `count` of them. */
  realSamples?: { count: number; data: Record<string, Float32Array> };
}

/**
 * Test seam, never set by the app, the CLI or EngineApi: runs on the tfjs model right before it is
 * compared with the ONNX file, so tests can make the two disagree and watch the export refuse.
 */
export const parityTestSeam: { beforeCompare?: (model: tfjs.LayersModel) => void } = {};

export interface ParityResult extends ParityReport {
  /** The output with the largest difference. */
  worstOutput: string;
  /** How many of `samples` were real samples (the rest are seeded random inputs). */
  realSamples: number;
}

function seededInputs(
  inputs: ParityInputSpec[],
  samples: number,
  seed: number,
): Record<string, { data: Float32Array; dims: number[] }> {
  const rng = mulberry32(seed);
  const out: Record<string, { data: Float32Array; dims: number[] }> = {};
  for (const spec of inputs) {
    const dims = [samples, ...spec.shape.map((d) => d ?? UNKNOWN_DIM_SAMPLE)];
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++)
      data[i] = spec.maxId ? Math.floor(rng() * spec.maxId) : gaussian(rng);
    out[spec.name] = { data, dims };
  }
  return out;
}

async function compareOn(
  req: ParityRequest,
  session: ort.InferenceSession,
  feeds: Record<string, { data: Float32Array; dims: number[] }>,
  acc: ParityResult,
): Promise<void> {
  const { tf } = req;
  const onnxOut = await session.run(
    Object.fromEntries(
      Object.entries(feeds).map(([name, f]) => [name, new ort.Tensor('float32', f.data, f.dims)]),
    ),
  );
  const tfOut = tf.tidy(() => {
    const xs = req.inputs.map((s) => tf.tensor(feeds[s.name].data, feeds[s.name].dims));
    const y = req.model.predict(xs.length === 1 ? xs[0] : xs);
    return (Array.isArray(y) ? y : [y]).map((t) => t.dataSync() as Float32Array);
  });
  req.outputs.forEach((name, k) => {
    const a = onnxOut[name].data as Float32Array;
    const b = tfOut[k];
    if (a.length !== b.length) {
      throw new Error(`Output "${name}" has ${a.length} values in ONNX but ${b.length} in tfjs.`);
    }
    for (let i = 0; i < a.length; i++) {
      const ref = Math.abs(b[i]);
      const diff = Math.abs(a[i] - b[i]);
      // NaN compares false everywhere, and NaN = NaN is no agreement: a non-finite output fails.
      if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
        acc.passed = false;
        acc.problem ??= `Output "${name}" is ${nonFinite(a[i])} in ONNX and ${nonFinite(b[i])} in tfjs; a value that is not a finite number can't be checked.`;
        continue;
      }
      if (diff > acc.maxAbsDiff) {
        acc.maxAbsDiff = diff;
        acc.worstOutput = name;
      }
      if (ref >= REL_FLOOR) acc.maxRelDiff = Math.max(acc.maxRelDiff, diff / ref);
      if (diff > PARITY_TOLERANCE * Math.max(1, ref)) acc.passed = false;
    }
  });
}

export const nonFinite = (v: number) =>
  Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? String(v) : v > 0 ? 'Infinity' : '-Infinity';

export async function checkParity(req: ParityRequest): Promise<ParityResult> {
  const samples = req.samples ?? 8;
  const session = await ort.InferenceSession.create(req.onnxBytes);
  parityTestSeam.beforeCompare?.(req.model);
  const acc: ParityResult = {
    maxAbsDiff: 0,
    maxRelDiff: 0,
    samples,
    passed: true,
    worstOutput: req.outputs[0],
    realSamples: 0,
  };
  try {
    await compareOn(req, session, seededInputs(req.inputs, samples, req.seed ?? 1234), acc);
    if (req.realSamples && req.realSamples.count > 0) {
      const { count, data } = req.realSamples;
      const feeds = Object.fromEntries(
        req.inputs.map((s) => [
          s.name,
          { data: data[s.name], dims: [count, ...s.shape.map((d) => d ?? data[s.name].length / count)] },
        ]),
      );
      await compareOn(req, session, feeds, acc);
      acc.samples += count;
      acc.realSamples = count;
    }
  } finally {
    await session.release();
  }
  return acc;
}
