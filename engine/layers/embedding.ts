// Embedding: integer token ids → learned dense vectors.
import { ShapeError, type LayerSpec } from './types.ts';
import { fmtShape } from './common.ts';

export type EmbeddingParams = { inputDim: number; outputDim: number };

export const EmbeddingLayer: LayerSpec<EmbeddingParams> = {
  type: 'Embedding',
  label: 'Embedding',
  category: 'Core',
  help: {
    summary:
      'Looks up a learned vector for each integer id: [sequenceLength] ids → [sequenceLength, outputDim].',
    equation: 'y_t = E[x_t],  E ∈ ℝ^(inputDim × outputDim);  ids must lie in 0 … inputDim − 1',
    whenToUse:
      'Words, characters or any categorical ids: feed it an Input of integer ids [sequenceLength], follow it with an LSTM/GRU, ' +
      'Conv1D or GlobalAveragePooling1D. inputDim = vocabulary size; outputDim 8–300.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[10]], params: { inputDim: 50, outputDim: 4 } },
    { inputs: [[-1]], params: { inputDim: 7, outputDim: 3 } },
  ],
  params: [
    {
      name: 'inputDim',
      kind: 'int',
      default: 1000,
      min: 1,
      max: 1 << 24,
      label: 'Vocabulary size',
      help: 'Number of distinct ids (largest id + 1).',
    },
    {
      name: 'outputDim',
      kind: 'int',
      default: 16,
      min: 1,
      max: 1 << 16,
      label: 'Vector size',
      help: 'Length of each learned vector.',
    },
  ],
  summarize: (p) => `${p.inputDim} → ${p.outputDim}`,
  inferShape: ([x], p) => {
    if (x.length !== 1) {
      throw new ShapeError(
        `Embedding expects integer ids [sequenceLength] (rank 1 without the batch), but its input is ${fmtShape(x)}; ` +
          'feed it directly from an Input of token ids, or Reshape to one axis first.',
      );
    }
    return [x[0], p.outputDim];
  },
  countParams: (_inputs, p) => p.inputDim * p.outputDim,
  buildTfjs: ({ tf, name }, p) => tf.layers.embedding({ name, inputDim: p.inputDim, outputDim: p.outputDim }),
};
