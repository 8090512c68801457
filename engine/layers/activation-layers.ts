// Activations with settings of their own, as layers (Keras' advanced activations): LeakyReLU, PReLU,
// ELU, ReLU with a cap, slope and threshold, Softmax over a chosen axis. Element-wise (Softmax per
// slice along its axis), shape unchanged.
import type * as tfjs from '@tensorflow/tfjs';
import { ShapeError, type Shape } from './types.ts';
import { fmtShape } from './common.ts';
import { sameShapeLayer } from './same-shape.ts';
import { floatParam } from './params.ts';

/** mask·a + (1 − mask)·b for a 0/1 mask. */
const blend = (tf: typeof tfjs, mask: tfjs.Tensor, a: tfjs.Tensor, b: tfjs.Tensor) =>
  tf.add(tf.mul(mask, a), tf.mul(tf.sub(1, mask), b));

export type LeakyReLUParams = { alpha: number };
export type ELUParams = { alpha: number };
export type PReLUParams = { sharedAxes: number[] | null };
export type ReLUParams = { maxValue: number | null; negativeSlope: number; threshold: number };
export type SoftmaxParams = { axis: number };

export const LeakyReLULayer = sameShapeLayer<LeakyReLUParams>({
  type: 'LeakyReLU',
  category: 'Core',
  help: {
    summary: 'relu that lets a small fraction α of negative values through instead of zeroing them.',
    equation: 'y = x if x > 0, else α·x',
    whenToUse:
      'Instead of relu when units "die" (stay at 0 for every input and stop learning), e.g. in GAN discriminators; α 0.01–0.3.',
  },
  params: [
    floatParam('alpha', 'Alpha', 'Slope for negative inputs (0 gives relu, 1 the identity).', {
      default: 0.3,
      min: 0,
      max: 1,
    }),
  ],
  examples: [
    { inputs: [[6]], params: {} },
    { inputs: [[4, 5, 2]], params: { alpha: 0.01 } },
  ],
  summarize: (p) => `α ${p.alpha}`,
  buildTfjs: ({ tf, name }, p) => tf.layers.leakyReLU({ name, alpha: p.alpha }),
});

/** PReLU's alpha: one per value of the input, except along the shared axes (size 1 there). */
export function preluAlphaShape(x: Shape, p: PReLUParams): number[] {
  const shared = p.sharedAxes ?? [];
  const bad = shared.find((a) => a > x.length);
  if (bad !== undefined)
    throw new ShapeError(
      `PReLU's sharedAxes names axis ${bad}, but its input ${fmtShape(x)} has axes 1…${x.length}; list only those (1 = first axis after the batch).`,
    );
  return x.map((d, i) => {
    if (shared.includes(i + 1)) return 1;
    if (d === null)
      throw new ShapeError(
        `PReLU learns one slope per position of axis ${i + 1}, whose size is unknown in ${fmtShape(x)}; add ${i + 1} to sharedAxes or give that axis a fixed size.`,
      );
    return d;
  });
}

export const PReLULayer = sameShapeLayer<PReLUParams>({
  type: 'PReLU',
  category: 'Core',
  help: {
    summary: 'LeakyReLU whose negative slope α is learned, one per value (or per channel with sharedAxes).',
    equation: 'y = x if x > 0, else α·x;  α learned, shape = input with the shared axes set to 1',
    whenToUse:
      'Deep image nets where a learned slope helps a little over relu; share the spatial axes ([1, 2] for images) to learn one α per channel.',
  },
  params: [
    {
      name: 'sharedAxes',
      kind: 'shape',
      default: null,
      nullable: true,
      label: 'Shared axes',
      help: 'Axes (1 = first after the batch) that share one α; empty: a separate α for every value.',
    },
  ],
  examples: [
    { inputs: [[5]], params: {} },
    { inputs: [[4, 3, 2]], params: { sharedAxes: [1, 2] } },
    { inputs: [[-1, 3]], params: { sharedAxes: [1] } },
  ],
  summarize: (p) => (p.sharedAxes ? `shared ${p.sharedAxes.join(', ')}` : 'per value'),
  checkInput: (x, p) => void preluAlphaShape(x, p),
  countParams: ([x], p) => preluAlphaShape(x, p).reduce((a, b) => a * b, 1),
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.prelu({ name, ...(p.sharedAxes ? { sharedAxes: p.sharedAxes } : {}) }),
});

// tfjs's ELU layer refuses an alpha other than 1, so ELU is a registered class of its own.
export const ELULayer = sameShapeLayer<ELUParams>({
  type: 'ELU',
  category: 'Core',
  help: {
    summary: 'Exponential linear unit: the identity for positive values, a smooth curve down to −α below 0.',
    equation: 'y = x if x > 0, else α·(eˣ − 1)',
    whenToUse:
      'Like relu but with negative outputs, which keeps mean activations near 0 and can speed up training; α 1 is the usual choice.',
  },
  params: [
    floatParam('alpha', 'Alpha', 'The value negative inputs approach (−α).', { default: 1, min: 0, max: 10 }),
  ],
  examples: [
    { inputs: [[6]], params: {} },
    { inputs: [[3, 4]], params: { alpha: 0.5 } },
  ],
  summarize: (p) => `α ${p.alpha}`,
  // tf.elu on both sides, so a large x never reaches an exp whose gradient overflows; the mask is a
  // step (which has a gradient, unlike a comparison).
  tfjsCall: (tf, [x], p) =>
    p.alpha === 1 ? tf.elu(x) : blend(tf, tf.step(x), x, tf.mul(tf.elu(x), p.alpha)),
});

// tfjs's ReLU layer knows only maxValue; Keras' also has a slope below a threshold, so ReLU is a
// registered class of its own (a superset: the same config loads the same function).
export const ReLULayer = sameShapeLayer<ReLUParams>({
  type: 'ReLU',
  category: 'Core',
  help: {
    summary:
      'relu with options: a cap (maxValue), a slope below the threshold (negativeSlope) and the threshold itself.',
    equation: 'y = min(x, maxValue) if x > threshold, else negativeSlope·(x − threshold)',
    whenToUse: 'relu6 for mobile-style nets (maxValue 6), a leaky relu with a cap, or a shifted threshold.',
  },
  params: [
    floatParam('maxValue', 'Max value', 'Cap on the output; empty for none.', {
      default: null,
      nullable: true,
      min: 0,
    }),
    floatParam('negativeSlope', 'Negative slope', 'Slope below the threshold (0: flat, as relu).', {
      default: 0,
      min: 0,
      max: 1,
    }),
    floatParam(
      'threshold',
      'Threshold',
      'Values above it pass through; below it the negative slope applies.',
      {
        default: 0,
        min: 0,
      },
    ),
  ],
  examples: [
    { inputs: [[6]], params: {} },
    { inputs: [[4, 5]], params: { maxValue: 0.5 } },
    { inputs: [[2, 3, 4]], params: { maxValue: 1, negativeSlope: 0.1, threshold: 0.2 } },
  ],
  summarize: (p) =>
    [
      p.maxValue === null ? null : `max ${p.maxValue}`,
      p.negativeSlope ? `slope ${p.negativeSlope}` : null,
      p.threshold ? `from ${p.threshold}` : null,
    ]
      .filter(Boolean)
      .join(' · ') || 'relu',
  tfjsCall: (tf, [x], p) => {
    const capped = p.maxValue === null ? x : tf.minimum(x, p.maxValue);
    if (p.negativeSlope === 0 && p.threshold === 0) return tf.relu(capped);
    const below = tf.mul(tf.sub(x, p.threshold), p.negativeSlope);
    return blend(tf, tf.step(tf.sub(x, p.threshold)), capped, below);
  },
});

/** Softmax's axis as an index into the batch-less shape, or null when it does not exist. */
export function softmaxAxis(axis: number, rank: number): number | null {
  const full = axis < 0 ? axis + rank + 1 : axis;
  return full >= 1 && full <= rank ? full - 1 : null;
}

// tfjs's Softmax layer normalises the last axis only (tf.softmax refuses others), so Softmax is a
// registered class of its own; other axes use the log-sum-exp form.
export const SoftmaxLayer = sameShapeLayer<SoftmaxParams>({
  type: 'Softmax',
  category: 'Core',
  help: {
    summary: 'Turns the values along one axis into probabilities that sum to 1.',
    equation: 'yᵢ = e^{xᵢ} / Σⱼ e^{xⱼ}, over the chosen axis',
    whenToUse:
      'Attention weights, or a classifier whose classes lie on an axis other than the last; Activation(softmax) covers the last axis.',
  },
  params: [
    {
      name: 'axis',
      kind: 'int',
      default: -1,
      min: -8,
      max: 8,
      label: 'Axis',
      help: 'Axis to normalise: −1 = last; 1 = first axis after the batch (0, the batch, is not allowed).',
    },
  ],
  examples: [
    { inputs: [[5]], params: {} },
    { inputs: [[3, 4]], params: { axis: 1 } },
    { inputs: [[2, 3, 4]], params: { axis: -2 } },
  ],
  summarize: (p) => `axis ${p.axis}`,
  checkInput: (x, p) => {
    if (softmaxAxis(p.axis, x.length) === null)
      throw new ShapeError(
        `Softmax's axis ${p.axis} does not exist for an input ${fmtShape(x)} (valid: 1…${x.length} or −${x.length}…−1); pick one of those.`,
      );
  },
  tfjsCall: (tf, [x], p) => {
    const axis = (softmaxAxis(p.axis, x.rank - 1) as number) + 1;
    if (axis === x.rank - 1) return tf.softmax(x);
    return tf.exp(tf.sub(x, tf.logSumExp(x, axis, true)));
  },
});
