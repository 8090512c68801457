// Every layer type on WebGPU against the pure-JS cpu backend: for each of a kind's own examples in
// the registry (LayerSpec.examples, plus Activation once per option), the forward output and the
// gradients of a loss (sum of output · fixed random weights + ½ sum(output²), plus regularisers)
// with respect to every trainable weight and every float input, relative to the largest value.
// Layers run in training mode (batch statistics, as when training) except the stochastic kinds
// (LayerSpec.stochastic: dropout and noise) and layers with attention dropout, whose masks and noise
// are random by design, and which are compared at inference. Shared by
// test/train/webgpu-layers.test.ts and the GPU check (run.sh).
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { takeDeviceError } from '../../engine/backends/webgpu-errors.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { allLayers, getLayer, layerTypes } from '../../engine/layers/registry.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
// The tests' own builder (ports as the project format wants them), so the check and tests agree.
import { singleLayerGraph, type LayerParams } from '../../test/engine/graph-helpers.ts';

export interface LayerCase {
  type: string;
  /** Position among the kind's examples. */
  index: number;
  inputs: number[][];
  params: LayerParams;
  /** Embedding: inputs are integers below this. */
  ints?: number;
}

/** The largest relative difference the comparison accepts. */
export const TOLERANCE = 1e-4;
/** Length of a dimension the example leaves open (−1: varies per sample). */
const OPEN_DIM = 5;
const BATCH = 3;

/** Every trainable kind's cases, so a new layer kind or activation brings its own. */
export function layerCases(): LayerCase[] {
  const cases: LayerCase[] = [];
  for (const spec of allLayers()) {
    if (spec.type === 'Input' || spec.type === 'Output') continue;
    (spec.examples ?? []).forEach((e, index) =>
      cases.push({
        type: spec.type,
        index,
        inputs: e.inputs,
        params: e.params,
        ints: spec.type === 'Embedding' ? Number(e.params.inputDim) : undefined,
      }),
    );
  }
  const activation = getLayer('Activation')?.params.find((p) => p.name === 'activation');
  if (activation?.kind === 'enum') {
    const base = cases.filter((c) => c.type === 'Activation').length;
    activation.options.forEach((a, i) =>
      cases.push({ type: 'Activation', index: base + i, inputs: [[4, 7]], params: { activation: a } }),
    );
  }
  return cases;
}

/** The registry's kinds that have weights or gradients to compare (all but Input and Output). */
export function trainableTypes(): string[] {
  return layerTypes().filter((t) => t !== 'Input' && t !== 'Output');
}

interface Result {
  output: Float32Array;
  grads: Map<string, Float32Array>;
}

/** Output and gradients on the active backend; inputs and initial weights come from `seed`. */
async function run(tf: typeof tfjs, c: LayerCase, seed: number): Promise<Result> {
  const graph = singleLayerGraph(c.inputs, c.type, c.params);
  const { model } = withRandom(mulberry32(seed), () => compileGraph(tf, graph));
  const rng = mulberry32(seed + 1);
  const xs = c.inputs.map((declared) => {
    const shape = declared.map((d) => (d < 0 ? OPEN_DIM : d));
    const size = BATCH * shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () =>
      c.ints ? Math.floor(rng() * c.ints) : rng() * 2 - 1,
    );
    return tf.variable(tf.tensor(values, [BATCH, ...shape]), !c.ints);
  });
  const weights = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const varList = [...weights, ...(c.ints ? [] : xs)];
  const names = [
    ...model.trainableWeights.map((w) => w.originalName),
    ...(c.ints ? [] : xs.map((_, i) => `input ${i}`)),
  ];
  // Random by design: a stochastic kind, or a layer with attention dropout, runs as at inference.
  const training = !getLayer(c.type)?.stochastic && !(Number(c.params.dropout) > 0);
  let output: tfjs.Tensor | null = null;
  try {
    const { value, grads } = tf.variableGrads(() => {
      const y = model.apply(xs.length === 1 ? xs[0] : xs, { training }) as tfjs.Tensor;
      output = tf.keep(y);
      let loss = tf.add(tf.sum(tf.mul(y, projection(tf, y.shape, seed))), tf.mul(0.5, tf.sum(tf.square(y))));
      for (const r of model.calculateLosses()) loss = tf.add(loss, r);
      return loss as tfjs.Scalar;
    }, varList);
    const result: Result = { output: (await output!.data()) as Float32Array, grads: new Map() };
    for (let i = 0; i < varList.length; i++)
      result.grads.set(names[i], (await grads[varList[i].name].data()) as Float32Array);
    tf.dispose([value, output!, ...Object.values(grads)]);
    return result;
  } finally {
    tf.dispose(xs);
    model.dispose();
  }
}

/**
 * Fixed random weights for the loss: sum(y²) alone has zero gradient through normalisation layers
 * (their outputs have a fixed square sum), which would compare rounding noise.
 */
function projection(tf: typeof tfjs, shape: number[], seed: number): tfjs.Tensor {
  const rng = mulberry32(seed + 2);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng() * 2 - 1),
    shape,
  );
}

/**
 * Largest |a − b| relative to the largest |a|, or to `floor` when that is larger (absolute below
 * 1e-6, e.g. an all-zero gradient).
 */
export function relativeDiff(a: Float32Array, b: Float32Array, floor = 1e-6): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return Number.isNaN(diff) || a.some((v, i) => Number.isNaN(v) !== Number.isNaN(b[i]))
    ? Infinity
    : diff / scale;
}

export interface ParityResult {
  type: string;
  index: number;
  /** Relative difference of the output and of each gradient ("input 0", weight names). */
  diffs: Record<string, number>;
  /** How many gradients were compared. */
  gradients: number;
  /** Set when the case threw on either backend (the first line of the error). */
  error?: string;
  /** Every difference within TOLERANCE, on the webgpu backend throughout, no error. */
  ok: boolean;
}

/** One case on the cpu backend, then on webgpu (which must stay the active backend). */
export async function compareOnWebGpu(c: LayerCase): Promise<ParityResult> {
  const seed = 1000 + c.index;
  const base = { type: c.type, index: c.index };
  try {
    const cpu = await selectBackend('js');
    const expected = await run(cpu.tf, c, seed);
    const gpu = await selectBackend('webgpu');
    takeDeviceError();
    const actual = await run(gpu.tf, c, seed);
    if (gpu.tf.getBackend() !== 'webgpu')
      throw new Error(`the active backend became ${gpu.tf.getBackend()} during the case`);
    // A shader that does not compile is reported as an event, not thrown: the op just does nothing.
    const deviceError = takeDeviceError();
    if (deviceError) throw new Error(`the GPU reported: ${deviceError.split('\n')[0]}`);
    const diffs: Record<string, number> = { output: relativeDiff(expected.output, actual.output) };
    // A gradient that is zero by construction (MultiHeadAttention's key bias: the softmax ignores a
    // shift shared by every key) is rounding noise on both backends: it is measured against a
    // thousandth of the case's largest gradient instead of against itself.
    let largest = 0;
    for (const g of expected.grads.values()) for (const v of g) largest = Math.max(largest, Math.abs(v));
    for (const [name, g] of expected.grads) {
      const a = actual.grads.get(name);
      diffs[name] = a ? relativeDiff(g, a, Math.max(1e-6, 1e-3 * largest)) : Infinity;
    }
    const ok = expected.grads.size > 0 && Object.values(diffs).every((d) => d <= TOLERANCE);
    return { ...base, diffs, gradients: expected.grads.size, ok };
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return { ...base, diffs: {}, gradients: 0, error, ok: false };
  }
}
