import { ACTIVATIONS, ShapeError, type LayerSpec } from './types.ts';
import { regularizerConfig } from './common.ts';

export type DenseParams = {
  units: number;
  activation: string;
  useBias: boolean;
  kernelRegularizer: { l1?: number; l2?: number } | null;
};

export const DenseLayer: LayerSpec<DenseParams> = {
  type: 'Dense',
  label: 'Dense',
  category: 'Core',
  help: {
    summary: 'A fully connected layer: every output unit is a weighted sum of all input features.',
    equation: 'y = f(W·x + b),  W ∈ ℝ^(units × in), b ∈ ℝ^units  (applied to the last axis)',
    whenToUse:
      'The workhorse of MLPs and classifier heads. Hidden layers: relu. Last layer: softmax for ' +
      'one-of-N classes, sigmoid for yes/no, linear for regression. On a rank > 1 input it acts on ' +
      'the last axis only; add a Flatten first to mix all positions.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[4]], params: { units: 3, activation: 'relu' } },
    { inputs: [[5, 7]], params: { units: 2, useBias: false } },
    { inputs: [[6]], params: { units: 4, kernelRegularizer: { l2: 0.01 } } },
  ],
  params: [
    {
      name: 'units',
      kind: 'int',
      default: 16,
      min: 1,
      max: 1 << 20,
      label: 'Units',
      help: 'Number of outputs.',
    },
    {
      name: 'activation',
      kind: 'enum',
      default: 'linear',
      options: ACTIVATIONS,
      label: 'Activation',
      help: 'f in y = f(Wx + b).',
    },
    { name: 'useBias', kind: 'bool', default: true, label: 'Use bias', help: 'Add the learned offset b.' },
    {
      name: 'kernelRegularizer',
      kind: 'regularizer',
      default: null,
      label: 'Kernel regulariser',
      help: 'L1/L2 penalty on the weights W added to the loss, e.g. {"l2": 0.001}.',
    },
  ],
  summarize: (p) => `${p.units} · ${p.activation}`,
  inferShape: (inputs, p) => {
    const [x] = inputs;
    const last = x[x.length - 1];
    if (x.length === 0) throw new ShapeError('Dense needs an input with at least one axis.');
    if (last === null)
      throw new ShapeError('Dense needs a known last-axis size; its input ends in an unknown size.');
    return [...x.slice(0, -1), p.units];
  },
  countParams: (inputs, p) => {
    const last = inputs[0][inputs[0].length - 1] ?? 0;
    return last * p.units + (p.useBias ? p.units : 0);
  },
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.dense({
      name,
      units: p.units,
      activation: p.activation as never,
      useBias: p.useBias,
      kernelRegularizer: regularizerConfig(tf, p.kernelRegularizer),
    }),
};
