// Every layer type in the registry trains on WebGPU: for each, over a few parameter choices, the
// forward output and the gradients of a loss (sum of output · fixed random weights + ½ sum(output²),
// plus regularisers) with respect to every trainable
// weight and every float input equal the pure-JS cpu backend's, relative to the largest value
// (≤ 1e-4). Runs on a real Dawn adapter (SwiftShader here and in CI). Layers run in training mode
// (batch statistics, as when training) except Dropout, whose masks are random by design.
// Dilated convolutions are left out: tfjs has no gradient for them on any backend.
import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { getLayer, layerTypes } from '../../engine/layers/registry.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { singleLayerGraph, type LayerParams } from '../engine/graph-helpers.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

type Case = { inputs: number[][]; params: LayerParams; ints?: number };

// At least one case per registry type (checked below); Activation gets one per option of its enum.
const CASES: Record<string, Case[]> = {
  Dense: [
    { inputs: [[5]], params: { units: 4, activation: 'relu' } },
    { inputs: [[3, 4]], params: { units: 3, useBias: false, kernelRegularizer: { l1: 0.01, l2: 0.02 } } },
  ],
  Activation: [],
  Embedding: [{ inputs: [[6]], params: { inputDim: 10, outputDim: 3 }, ints: 10 }],
  Conv1D: [
    {
      inputs: [[10, 3]],
      params: { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' },
    },
    { inputs: [[9, 2]], params: { filters: 2, kernelSize: 2 } },
  ],
  Conv2D: [
    { inputs: [[8, 8, 2]], params: { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { inputs: [[9, 7, 3]], params: { filters: 2, kernelSize: [2, 3], strides: [2, 1] } },
  ],
  MaxPooling1D: [
    { inputs: [[10, 3]], params: {} },
    { inputs: [[10, 3]], params: { poolSize: 3, strides: 1, padding: 'same' } },
  ],
  MaxPooling2D: [
    { inputs: [[6, 6, 2]], params: {} },
    { inputs: [[7, 8, 2]], params: { poolSize: [2, 3], strides: [1, 2], padding: 'same' } },
  ],
  AveragePooling1D: [{ inputs: [[11, 2]], params: { poolSize: 3, strides: 2 } }],
  AveragePooling2D: [{ inputs: [[7, 9, 2]], params: { poolSize: 3, strides: 2, padding: 'same' } }],
  GlobalAveragePooling1D: [{ inputs: [[10, 3]], params: {} }],
  GlobalMaxPooling1D: [{ inputs: [[10, 3]], params: {} }],
  GlobalAveragePooling2D: [{ inputs: [[4, 5, 6]], params: {} }],
  GlobalMaxPooling2D: [{ inputs: [[4, 5, 6]], params: {} }],
  Flatten: [{ inputs: [[3, 4, 2]], params: {} }],
  Reshape: [{ inputs: [[12]], params: { targetShape: [3, 4] } }],
  Dropout: [{ inputs: [[6]], params: { rate: 0.5 } }],
  BatchNormalization: [
    { inputs: [[8]], params: {} },
    { inputs: [[4, 4, 3]], params: { momentum: 0.9, epsilon: 0.01 } },
  ],
  LayerNormalization: [
    { inputs: [[6]], params: {} },
    { inputs: [[5, 4]], params: { epsilon: 1e-5 } },
  ],
  SimpleRNN: [
    { inputs: [[6, 3]], params: { units: 4 } },
    { inputs: [[6, 3]], params: { units: 5, returnSequences: true, activation: 'relu' } },
  ],
  LSTM: [
    { inputs: [[6, 3]], params: { units: 4 } },
    { inputs: [[6, 3]], params: { units: 3, returnSequences: true } },
  ],
  GRU: [
    { inputs: [[6, 3]], params: { units: 4 } },
    { inputs: [[5, 2]], params: { units: 6, returnSequences: true, activation: 'sigmoid' } },
  ],
  Add: [
    {
      inputs: [
        [4, 3],
        [4, 3],
      ],
      params: {},
    },
  ],
  Multiply: [
    {
      inputs: [
        [2, 3, 4],
        [2, 3, 4],
      ],
      params: {},
    },
  ],
  Average: [{ inputs: [[5], [5], [5]], params: {} }],
  Concatenate: [
    {
      inputs: [
        [3, 4],
        [3, 2],
      ],
      params: { axis: -1 },
    },
    {
      inputs: [
        [2, 3],
        [4, 3],
      ],
      params: { axis: 1 },
    },
  ],
};

const activation = getLayer('Activation')!.params.find((p) => p.name === 'activation');
if (activation?.kind === 'enum')
  CASES.Activation = activation.options.map((a) => ({ inputs: [[4, 7]], params: { activation: a } }));

const TRAINABLE_TYPES = layerTypes().filter((t) => t !== 'Input' && t !== 'Output');
const BATCH = 3;

interface Result {
  output: Float32Array;
  grads: Map<string, Float32Array>;
}

/** Output and gradients on the active backend; inputs and initial weights come from `seed`. */
async function run(tf: typeof tfjs, type: string, c: Case, seed: number): Promise<Result> {
  const graph = singleLayerGraph(c.inputs, type, c.params);
  const { model } = withRandom(mulberry32(seed), () => compileGraph(tf, graph));
  const rng = mulberry32(seed + 1);
  const xs = c.inputs.map((shape, i) => {
    const size = BATCH * shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () =>
      c.ints ? Math.floor(rng() * c.ints) : rng() * 2 - 1,
    );
    return tf.variable(tf.tensor(values, [BATCH, ...shape]), !c.ints, `x${i}_${seed}`);
  });
  const weights = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const varList = [...weights, ...(c.ints ? [] : xs)];
  const names = [
    ...model.trainableWeights.map((w) => w.originalName),
    ...(c.ints ? [] : xs.map((_, i) => `input ${i}`)),
  ];
  const training = type !== 'Dropout';
  let output: tfjs.Tensor | null = null;
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
  tf.dispose([value, output!, ...Object.values(grads), ...xs]);
  model.dispose();
  return result;
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

/** Largest |a − b| relative to the largest |a| (absolute below 1e-6, e.g. an all-zero gradient). */
function relativeDiff(a: Float32Array, b: Float32Array): number {
  expect(b.length).toBe(a.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return Number.isNaN(diff) || a.some((v, i) => Number.isNaN(v) !== Number.isNaN(b[i]))
    ? Infinity
    : diff / scale;
}

describe('every layer type on WebGPU equals the cpu backend (forward and gradients)', () => {
  beforeAll(async () => {
    const gpu = await selectBackend('webgpu');
    // Every op on the GPU: tfjs-webgpu otherwise runs ops on tensors under 1000 values with its CPU
    // kernels, and these deliberately small cases would not exercise the GPU kernels at all.
    gpu.tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
  });

  it('has cases for every layer type in the registry', () => {
    const missing = TRAINABLE_TYPES.filter((t) => !CASES[t]?.length);
    expect(missing).toEqual([]);
  });

  const all = TRAINABLE_TYPES.flatMap((type) => (CASES[type] ?? []).map((c, i) => [type, i, c] as const));
  it.each(all)('%s #%i', async (type, i, c) => {
    const seed = 1000 + i;
    const cpu = await selectBackend('js');
    const expected = await run(cpu.tf, type, c, seed);
    const gpu = await selectBackend('webgpu');
    expect(gpu.tf.getBackend()).toBe('webgpu');
    const actual = await run(gpu.tf, type, c, seed);
    expect(gpu.tf.getBackend()).toBe('webgpu');
    const report: Record<string, number> = { output: relativeDiff(expected.output, actual.output) };
    for (const [name, g] of expected.grads) report[name] = relativeDiff(g, actual.grads.get(name)!);
    expect(expected.grads.size).toBeGreaterThan(0);
    const worse = Object.entries(report).filter(([, d]) => !(d <= 1e-4));
    expect(worse).toEqual([]);
  });
});
