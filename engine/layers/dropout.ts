// Dropout: random zeroing during training only; the identity at inference.
import type { LayerSpec } from './types.ts';

export type DropoutParams = { rate: number };

export const DropoutLayer: LayerSpec<DropoutParams> = {
  type: 'Dropout',
  label: 'Dropout',
  category: 'Regularization',
  help: {
    summary:
      'During training, sets a random fraction `rate` of the values to 0 and scales the rest up; does nothing at inference.',
    equation: 'training: y = m ⊙ x / (1 − rate), m ~ Bernoulli(1 − rate);  inference: y = x',
    whenToUse:
      'Against overfitting, usually after large Dense layers (0.2–0.5). Remove it if the model underfits.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  stochastic: true,
  examples: [
    { inputs: [[6]], params: { rate: 0 } },
    { inputs: [[3, 4]], params: { rate: 0.3 } },
  ],
  params: [
    {
      name: 'rate',
      kind: 'float',
      default: 0.5,
      min: 0,
      max: 1,
      exclusiveMax: true,
      label: 'Rate',
      help: 'Fraction of values dropped during training, from 0 up to (not including) 1.',
    },
  ],
  summarize: (p) => `${p.rate}`,
  inferShape: ([x]) => [...x],
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) => tf.layers.dropout({ name, rate: p.rate }),
};
