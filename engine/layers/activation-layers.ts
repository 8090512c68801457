// Activations with settings of their own, as layers (Keras' advanced activations): LeakyReLU, PReLU,
// ELU, ReLU with a cap, slope and threshold, Softmax over a chosen axis. Element-wise (Softmax per
// slice along its axis), shape unchanged.
import { sameShapeLayer } from './same-shape.ts';

export type LeakyReLUParams = { alpha: number };

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
    {
      name: 'alpha',
      kind: 'float',
      default: 0.3,
      min: 0,
      max: 1,
      label: 'Alpha',
      help: 'Slope for negative inputs (0 gives relu, 1 the identity).',
    },
  ],
  examples: [
    { inputs: [[6]], params: {} },
    { inputs: [[4, 5, 2]], params: { alpha: 0.01 } },
  ],
  summarize: (p) => `α ${p.alpha}`,
  buildTfjs: ({ tf, name }, p) => tf.layers.leakyReLU({ name, alpha: p.alpha }),
});
