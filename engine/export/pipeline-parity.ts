// The deployment model's parity check: raw samples through the ONNX file in onnxruntime-node against
// what `netwright predict` computes from the same raw samples (saved preprocessing, tfjs model,
// decoding). Labels must be identical and every probability or value within the export tolerance;
// a NaN or infinite output on either side fails the check (NaN = NaN is not agreement).
import type * as tfjs from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ParityReport } from '../api.ts';
import { transformInputs } from '../data/index.ts';
import type { Preprocessing, TensorData } from '../data/types.ts';
import { predictBatches } from '../eval/evaluate.ts';
import { decodePredictions } from '../eval/predictions.ts';
import { nonFinite, PARITY_TOLERANCE } from './parity.ts';
import { pipelineFeeds } from './pipeline-feeds.ts';

export interface PipelineParityRequest {
  tf: typeof tfjs;
  model: tfjs.LayersModel;
  prep: Preprocessing;
  onnxBytes: Uint8Array;
  /** Raw samples, one tensor per model input (the data module's layout). */
  rawX: TensorData[];
}

export interface PipelineParity extends ParityReport {
  /** Samples whose ONNX label differs from predict's class. */
  labelMismatches: number;
}

const REL_FLOOR = 1e-3;

export async function checkPipelineParity(req: PipelineParityRequest): Promise<PipelineParity> {
  const { prep, rawX } = req;
  const n = rawX[0].shape[0];
  const rows = Array.from({ length: n }, (_, i) => `sample ${i + 1}`);
  const expected = decodePredictions(
    prep,
    await predictBatches(req.tf, req.model, transformInputs(prep, rawX)),
    rawX,
    rows,
  );
  const feeds = Object.fromEntries(
    Object.entries(pipelineFeeds(prep, rawX)).map(([name, f]) => [
      name,
      f.type === 'string'
        ? new ort.Tensor('string', f.data as string[], f.dims)
        : new ort.Tensor('float32', f.data as Float32Array, f.dims),
    ]),
  );
  const session = await ort.InferenceSession.create(req.onnxBytes);
  let out: ort.InferenceSession.OnnxValueMapType;
  try {
    out = await session.run(feeds);
  } finally {
    await session.release();
  }
  const acc: PipelineParity = { maxAbsDiff: 0, maxRelDiff: 0, samples: n, passed: true, labelMismatches: 0 };
  const compare = (output: string, i: number, got: number, want: number) => {
    if (!Number.isFinite(got) || !Number.isFinite(want)) {
      acc.passed = false;
      acc.problem ??= `Output "${output}" is ${nonFinite(got)} in ONNX and ${nonFinite(want)} in tfjs for ${rows[i]}; a value that is not a finite number can't be checked.`;
      return;
    }
    const diff = Math.abs(got - want);
    acc.maxAbsDiff = Math.max(acc.maxAbsDiff, diff);
    if (Math.abs(want) >= REL_FLOOR) acc.maxRelDiff = Math.max(acc.maxRelDiff, diff / Math.abs(want));
    if (diff > PARITY_TOLERANCE * Math.max(1, Math.abs(want))) acc.passed = false;
  };
  expected.forEach((p, i) => {
    if ('className' in p) {
      const label = String((out.label.data as ArrayLike<unknown>)[i]);
      if (label !== p.className) {
        acc.labelMismatches++;
        acc.passed = false;
        acc.problem ??= `Output "label" is "${label}" in ONNX but "${p.className}" in tfjs for ${rows[i]}.`;
      }
      const probs = out.probabilities.data as Float32Array;
      const names = Object.keys(p.probabilities);
      names.forEach((name, c) =>
        compare('probabilities', i, probs[i * names.length + c], p.probabilities[name]),
      );
    } else {
      const values = out.prediction.data as Float32Array;
      const names = Object.keys(p.values);
      names.forEach((name, c) => compare('prediction', i, values[i * names.length + c], p.values[name]));
    }
  });
  return acc;
}
