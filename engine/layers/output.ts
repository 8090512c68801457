import { LOSSES, type LayerSpec } from './types.ts';

export type OutputParams = { loss: string };

export const OutputLayer: LayerSpec<OutputParams> = {
  type: 'Output',
  label: 'Output',
  category: 'Input / Output',
  help: {
    summary: 'Marks a model output and names the loss it is trained with. It computes nothing.',
    equation: 'ŷ = x;  loss = L(y, ŷ)',
    whenToUse:
      'Classification with one-hot labels: softmax + categoricalCrossentropy (integer labels: ' +
      'sparseCategoricalCrossentropy). Two classes or multi-label: sigmoid + binaryCrossentropy. ' +
      'Regression and forecasting: linear + meanSquaredError or meanAbsoluteError.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: false,
  params: [
    {
      name: 'loss',
      kind: 'enum',
      default: 'categoricalCrossentropy',
      options: LOSSES,
      label: 'Loss',
      help: 'What training minimises for this output.',
    },
  ],
  summarize: (p) => p.loss,
  inferShape: (inputs) => [...inputs[0]],
  countParams: () => 0,
  buildTfjs: () => null,
};
