import { ShapeError, type LayerSpec } from './types.ts';

export type InputParams = { shape: number[] };

export const InputLayer: LayerSpec<InputParams> = {
  type: 'Input',
  label: 'Input',
  category: 'Input / Output',
  help: {
    summary: 'Where data enters the model. Its shape is one sample, without the batch dimension.',
    equation: 'x ∈ ℝ^shape (a batch is [?, ...shape])',
    whenToUse:
      'One per model input. Tabular data: [features]. Images: [height, width, channels] (NHWC). ' +
      'Sequences: [timesteps, features]. Token ids for an Embedding: [sequenceLength].',
  },
  arity: { min: 0, max: 0 },
  producesOutput: true,
  params: [
    {
      name: 'shape',
      kind: 'shape',
      default: [4],
      allowUnknown: true,
      label: 'Shape',
      help: 'Size of one sample, e.g. [28, 28, 1]; -1 marks a size that varies per sample (e.g. sequence length).',
    },
  ],
  summarize: (p) => `[${p.shape.map((d) => (d === -1 ? '?' : d)).join(', ')}]`,
  inferShape: (inputs, p) => {
    if (inputs.length) throw new ShapeError('An Input node takes no inputs; remove the incoming connection.');
    return p.shape.map((d) => (d === -1 ? null : d));
  },
  countParams: () => 0,
  buildTfjs: () => null,
};
