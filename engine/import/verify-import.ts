// The check every import passes before anything is written: the source model and the imported graph
// (compiled in tfjs with the imported weights) on the same seeded inputs, each fed in its own axis
// order, compared with the export's tolerance (engine/export/parity.ts).
import type * as tfjs from '@tensorflow/tfjs';
import { compileGraph } from '../compile/tfjs-model.ts';
import { PARITY_TOLERANCE } from '../export/parity.ts';
import { parityInputs } from '../export/parity-inputs.ts';
import { gaussian, mulberry32, withRandom } from '../random.ts';
import { applyWeights } from '../weights/apply-weights.ts';
import type { ImportedModel } from './import-types.ts';

export interface ImportParity {
  samples: number;
  maxAbsDiff: number;
  passed: boolean;
}

export interface Feed {
  data: Float32Array;
  dims: number[];
}

/** Runs the source model: inputs and outputs by their source names, in the source's axis order. */
export type SourceRunner = (feeds: Record<string, Feed>) => Promise<Record<string, ArrayLike<number>>>;

const SAMPLES = 4;
/** The size given to axes of unknown size (sequence lengths). */
const UNKNOWN = 6;

export async function verifyImport(
  tf: typeof tfjs,
  imported: ImportedModel,
  runSource: SourceRunner,
  seed = 42,
): Promise<ImportParity> {
  const compiled = withRandom(mulberry32(seed), () => compileGraph(tf, imported.graph));
  try {
    applyWeights(tf, compiled.layerOf, imported.weights, 'the imported model');
    const rng = mulberry32(seed);
    const specs = new Map(parityInputs(compiled.inspection).map((s) => [s.name, s]));
    const feeds: Record<string, Feed> = {};
    const xs = compiled.inputIds.map((id) => {
      const spec = specs.get(id)!;
      const port = imported.io.inputs.find((p) => p.node === id)!;
      const dims = [SAMPLES, ...spec.shape.map((d) => d ?? UNKNOWN)];
      const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () =>
        spec.maxId ? Math.floor(rng() * spec.maxId) : gaussian(rng),
      );
      const logical = tf.tensor(data, dims);
      const stored = tf.transpose(logical, port.perm);
      feeds[port.name] = { data: stored.dataSync() as Float32Array, dims: stored.shape };
      stored.dispose();
      return logical;
    });
    const theirs = await runSource(feeds);
    const predicted = compiled.model.predict(xs.length === 1 ? xs[0] : xs) as tfjs.Tensor | tfjs.Tensor[];
    const outs = Array.isArray(predicted) ? predicted : [predicted];
    let maxAbsDiff = 0;
    let passed = true;
    compiled.outputIds.forEach((id, k) => {
      const port = imported.io.outputs.find((p) => p.node === id)!;
      const stored = tf.transpose(outs[k], port.perm);
      const ours = stored.dataSync();
      const ref = theirs[port.name];
      if (!ref || ref.length !== ours.length) passed = false;
      for (let i = 0; ref && i < ours.length; i++) {
        const diff = Math.abs(ours[i] - ref[i]);
        if (!(diff <= PARITY_TOLERANCE * Math.max(1, Math.abs(ref[i])))) passed = false;
        if (!(diff <= maxAbsDiff)) maxAbsDiff = diff;
      }
      stored.dispose();
    });
    tf.dispose([...xs, ...outs]);
    return { samples: SAMPLES, maxAbsDiff, passed };
  } finally {
    compiled.model.dispose();
  }
}
