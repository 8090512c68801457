// A standalone activation function applied element-wise.
import { ACTIVATIONS, type LayerSpec } from './types.ts';

export type ActivationParams = { activation: string };

export const ActivationLayer: LayerSpec<ActivationParams> = {
  type: 'Activation',
  label: 'Activation',
  category: 'Core',
  help: {
    summary: 'Applies a non-linearity to every value; shape unchanged, no weights.',
    equation: 'y = f(x)  (softmax: yᵢ = e^{xᵢ} / Σⱼ e^{xⱼ} over the last axis)',
    whenToUse: 'After a layer with a linear activation, e.g. Conv2D → BatchNormalization → Activation(relu).',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[3, 4]], params: { activation: 'softmax' } },
    { inputs: [[5]], params: { activation: 'swish' } },
  ],
  params: [
    {
      name: 'activation',
      kind: 'enum',
      default: 'relu',
      options: ACTIVATIONS,
      label: 'Activation',
      help: 'The function f.',
    },
  ],
  summarize: (p) => p.activation,
  inferShape: ([x]) => [...x],
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) => tf.layers.activation({ name, activation: p.activation as never }),
};
