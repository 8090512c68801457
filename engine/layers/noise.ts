// Noise and dropout variants: random only while training, the identity at inference (so ONNX exports
// the inference function and predictions are deterministic).
import type { LayerExample, ParamDef } from './types.ts';
import { floatParam } from './params.ts';
import { imageReshapeHint, requireRank, sequenceReshapeHint } from './common.ts';
import { sameShapeLayer, type SameShapeDef } from './same-shape.ts';

export type RateParams = { rate: number };
export type GaussianNoiseParams = { stddev: number };

const rateParam = (help: string): ParamDef =>
  floatParam('rate', 'Rate', help, { default: 0.5, min: 0, max: 1, exclusiveMax: true });

const AT_INFERENCE = 'inference: y = x';

/** A dropout variant: one `rate`, random while training. */
const rateLayer = (
  def: Pick<SameShapeDef<RateParams>, 'type' | 'help' | 'checkInput' | 'buildTfjs' | 'tfjsCall'> & {
    rateHelp: string;
    examples?: LayerExample[];
  },
) =>
  sameShapeLayer<RateParams>({
    category: 'Regularization',
    stochastic: true,
    params: [rateParam(def.rateHelp)],
    examples: [
      { inputs: [[6]], params: {} },
      { inputs: [[3, 4]], params: { rate: 0.2 } },
    ],
    summarize: (p) => `${p.rate}`,
    ...def,
  });

export const GaussianNoiseLayer = sameShapeLayer<GaussianNoiseParams>({
  type: 'GaussianNoise',
  category: 'Regularization',
  stochastic: true,
  help: {
    summary: 'During training, adds zero-mean Gaussian noise to every value; does nothing at inference.',
    equation: `training: y = x + ε, ε ~ N(0, stddev²);  ${AT_INFERENCE}`,
    whenToUse:
      'Against overfitting on small tabular or signal data, usually right after the Input; a stddev of 0.05–0.2 of the features’ scale.',
  },
  params: [
    floatParam('stddev', 'Std. deviation', 'Standard deviation of the added noise.', {
      default: 0.1,
      min: 0,
      max: 10,
    }),
  ],
  examples: [
    { inputs: [[6]], params: {} },
    { inputs: [[3, 4]], params: { stddev: 0.5 } },
  ],
  summarize: (p) => `σ ${p.stddev}`,
  buildTfjs: ({ tf, name }, p) => tf.layers.gaussianNoise({ name, stddev: p.stddev }),
});

export const GaussianDropoutLayer = rateLayer({
  type: 'GaussianDropout',
  help: {
    summary:
      'During training, multiplies every value by Gaussian noise of mean 1; does nothing at inference.',
    equation: `training: y = x·m, m ~ N(1, rate/(1 − rate));  ${AT_INFERENCE}`,
    whenToUse: 'Like Dropout, but with smooth multiplicative noise instead of zeros; rate 0.1–0.5.',
  },
  rateHelp: 'Sets the noise variance rate/(1 − rate), as Dropout with this rate would.',
  buildTfjs: ({ tf, name }, p) => tf.layers.gaussianDropout({ name, rate: p.rate }),
});

export const AlphaDropoutLayer = rateLayer({
  type: 'AlphaDropout',
  help: {
    summary:
      'Dropout for selu networks: dropped values are set to selu’s negative saturation and the result rescaled, so mean and variance stay as they were.',
    equation: `training: y = a·(m ⊙ x + (1 − m)·α′) + b, m ~ Bernoulli(1 − rate), α′ = −1.7581;  ${AT_INFERENCE}`,
    whenToUse:
      'In self-normalising networks (Dense layers with selu activation) instead of Dropout; rate 0.05–0.1.',
  },
  rateHelp: 'Fraction of values dropped during training.',
  buildTfjs: ({ tf, name }, p) => tf.layers.alphaDropout({ name, rate: p.rate }),
});

const spatialHelp = (what: string, unit: string) => ({
  summary: `During training, drops whole channels of ${what} (every ${unit} of a channel together) and scales the rest up; does nothing at inference.`,
  equation: `training: y[…, c] = m[c]·x[…, c] / (1 − rate), m[c] ~ Bernoulli(1 − rate);  ${AT_INFERENCE}`,
  whenToUse: `After convolutions, where neighbouring ${unit}s are strongly correlated and ordinary Dropout barely regularises; rate 0.1–0.3.`,
});

export const SpatialDropout1DLayer = rateLayer({
  type: 'SpatialDropout1D',
  help: spatialHelp('a sequence', 'step'),
  rateHelp: 'Fraction of channels dropped during training.',
  examples: [{ inputs: [[5, 3]], params: { rate: 0.3 } }],
  checkInput: (x) =>
    requireRank(x, 2, 'SpatialDropout1D', 'a sequence [steps, channels]', sequenceReshapeHint(x)),
  buildTfjs: ({ tf, name }, p) => tf.layers.spatialDropout1d({ name, rate: p.rate }),
});

// tfjs has no SpatialDropout2D: dropout with one mask value per sample and channel.
export const SpatialDropout2DLayer = rateLayer({
  type: 'SpatialDropout2D',
  help: spatialHelp('an image', 'pixel'),
  rateHelp: 'Fraction of channels dropped during training.',
  examples: [{ inputs: [[4, 4, 3]], params: { rate: 0.3 } }],
  checkInput: (x) =>
    requireRank(x, 3, 'SpatialDropout2D', 'an image [height, width, channels]', imageReshapeHint(x)),
  tfjsCall: (tf, [x], p, training) =>
    training && p.rate > 0 ? tf.dropout(x, p.rate, [x.shape[0], 1, 1, x.shape[3] as number]) : x,
});
