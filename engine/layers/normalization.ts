// Normalisation over the last (channel/feature) axis.
import { ShapeError, type LayerSpec, type Shape } from './types.ts';
import { fmtShape, knownLastAxis } from './common.ts';

/** tfjs's batch-normalisation op (behind both layers) handles at most 4-D tensors: 3 axes + the batch. */
function requireAtMostThreeAxes(layer: string, x: Shape): void {
  if (x.length > 3)
    throw new ShapeError(
      `${layer} works on inputs of at most 3 axes besides the batch in TensorFlow.js, but its input is ${fmtShape(x)}; add a Reshape before it that merges axes, e.g. to [${x.slice(0, -1).every((d) => d !== null) ? (x.slice(0, -1) as number[]).reduce((a, b) => a * b, 1) : -1}, ${x[x.length - 1] ?? -1}].`,
    );
}

export type BatchNormParams = { momentum: number; epsilon: number };
export type LayerNormParams = { epsilon: number };

const epsilonDef = {
  name: 'epsilon',
  kind: 'float',
  default: 0.001,
  min: 1e-12,
  max: 1,
  label: 'Epsilon',
  help: 'Small constant added to the variance to avoid dividing by zero.',
} as const;

export const BatchNormalizationLayer: LayerSpec<BatchNormParams> = {
  type: 'BatchNormalization',
  label: 'BatchNormalization',
  category: 'Normalization',
  help: {
    summary:
      'Normalises each channel with the batch mean and variance while training (and running averages of them at inference), then scales and shifts.',
    equation:
      'y = γ · (x − μ) / √(σ² + ε) + β;  moving μ ← m·μ + (1 − m)·μ_batch.  Weights: γ, β (trained) and moving μ, σ² (not) = 4·C',
    whenToUse:
      'Between a Conv2D/Dense (linear, often without bias) and its activation, to train deeper nets faster and with higher learning rates. ' +
      'Needs batches of more than a few samples.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[8]], params: {} },
    { inputs: [[4, 4, 3]], params: { momentum: 0.9, epsilon: 0.01 } },
  ],
  params: [
    {
      name: 'momentum',
      kind: 'float',
      default: 0.99,
      min: 0,
      max: 1,
      exclusiveMax: true,
      label: 'Momentum',
      help: 'How slowly the running mean/variance used at inference follow the batches (0.9–0.999).',
    },
    epsilonDef,
  ],
  summarize: (p) => `m ${p.momentum}`,
  inferShape: ([x]) => {
    requireAtMostThreeAxes('BatchNormalization', x);
    knownLastAxis(x, 'BatchNormalization', 'channels');
    return [...x];
  },
  // tfjs (like Keras) counts the non-trainable moving mean and variance too: 4 weights per channel.
  countParams: ([x]) => 4 * (x[x.length - 1] ?? 0),
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.batchNormalization({ name, axis: -1, momentum: p.momentum, epsilon: p.epsilon }),
};

export const LayerNormalizationLayer: LayerSpec<LayerNormParams> = {
  type: 'LayerNormalization',
  label: 'LayerNormalization',
  category: 'Normalization',
  help: {
    summary:
      'Normalises each sample over its last axis (its own features), then scales and shifts; independent of the batch.',
    equation: 'y = γ · (x − mean(x)) / √(var(x) + ε) + β,  over the last axis;  weights γ, β = 2·C',
    whenToUse: 'Recurrent and attention models, small batches, or anywhere batch statistics are unreliable.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[6]], params: {} },
    { inputs: [[5, 4]], params: { epsilon: 0.00001 } },
  ],
  params: [epsilonDef],
  summarize: (p) => `ε ${p.epsilon}`,
  inferShape: ([x]) => {
    requireAtMostThreeAxes('LayerNormalization', x);
    knownLastAxis(x, 'LayerNormalization', 'features');
    return [...x];
  },
  countParams: ([x]) => 2 * (x[x.length - 1] ?? 0),
  buildTfjs: ({ tf, name }, p) => tf.layers.layerNormalization({ name, axis: -1, epsilon: p.epsilon }),
};
