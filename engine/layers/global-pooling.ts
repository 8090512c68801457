// Global pooling: collapse every position of a sequence (1D) or image (2D) into one value per channel.
import type { LayerSpec } from './types.ts';
import { imageReshapeHint, knownLastAxis, requireRank, sequenceReshapeHint } from './common.ts';

export type GlobalPoolParams = Record<string, never>;

export const GlobalAveragePooling1DLayer: LayerSpec<GlobalPoolParams> = {
  type: 'GlobalAveragePooling1D',
  label: 'GlobalAveragePooling1D',
  category: 'Pooling',
  help: {
    summary: 'Averages over all steps of a sequence: [steps, channels] → [channels].',
    equation: 'y[c] = (1/T) Σ_t x[t, c]',
    whenToUse:
      'Turn a variable-length sequence of features into one vector before a Dense head (e.g. after Conv1D or an Embedding).',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [{ inputs: [[10, 3]], params: {} }],
  params: [],
  inferShape: ([x]) => {
    requireRank(
      x,
      2,
      'GlobalAveragePooling1D',
      'a sequence [steps, channels]',
      sequenceReshapeHint(x, 'GlobalAveragePooling2D'),
    );
    return [knownLastAxis(x, 'GlobalAveragePooling1D', 'channels')];
  },
  countParams: () => 0,
  buildTfjs: ({ tf, name }) => tf.layers.globalAveragePooling1d({ name }),
};

export const GlobalMaxPooling1DLayer: LayerSpec<GlobalPoolParams> = {
  type: 'GlobalMaxPooling1D',
  label: 'GlobalMaxPooling1D',
  category: 'Pooling',
  help: {
    summary: 'Keeps the largest value over all steps of a sequence: [steps, channels] → [channels].',
    equation: 'y[c] = max_t x[t, c]',
    whenToUse: 'Text and signal classifiers: "was this pattern present anywhere?" after Conv1D.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [{ inputs: [[-1, 5]], params: {} }],
  params: [],
  inferShape: ([x]) => {
    requireRank(
      x,
      2,
      'GlobalMaxPooling1D',
      'a sequence [steps, channels]',
      sequenceReshapeHint(x, 'GlobalMaxPooling2D'),
    );
    return [knownLastAxis(x, 'GlobalMaxPooling1D', 'channels')];
  },
  countParams: () => 0,
  buildTfjs: ({ tf, name }) => tf.layers.globalMaxPooling1d({ name }),
};

export const GlobalAveragePooling2DLayer: LayerSpec<GlobalPoolParams> = {
  type: 'GlobalAveragePooling2D',
  label: 'GlobalAveragePooling2D',
  category: 'Pooling',
  help: {
    summary: 'Averages each channel over the whole image: [height, width, channels] → [channels].',
    equation: 'y[c] = (1/(H·W)) Σ_{i,j} x[i, j, c]',
    whenToUse:
      'The modern replacement for Flatten in CNN classifiers: far fewer parameters in the head and any input size works.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [{ inputs: [[4, 5, 6]], params: {} }],
  params: [],
  inferShape: ([x]) => {
    requireRank(x, 3, 'GlobalAveragePooling2D', 'an image [height, width, channels]', imageReshapeHint(x));
    return [knownLastAxis(x, 'GlobalAveragePooling2D', 'channels')];
  },
  countParams: () => 0,
  buildTfjs: ({ tf, name }) => tf.layers.globalAveragePooling2d({ name }),
};

export const GlobalMaxPooling2DLayer: LayerSpec<GlobalPoolParams> = {
  type: 'GlobalMaxPooling2D',
  label: 'GlobalMaxPooling2D',
  category: 'Pooling',
  help: {
    summary:
      'Keeps the largest value of each channel over the whole image: [height, width, channels] → [channels].',
    equation: 'y[c] = max_{i,j} x[i, j, c]',
    whenToUse: 'CNN heads where the presence of a feature anywhere matters more than its average strength.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [{ inputs: [[4, 5, 6]], params: {} }],
  params: [],
  inferShape: ([x]) => {
    requireRank(x, 3, 'GlobalMaxPooling2D', 'an image [height, width, channels]', imageReshapeHint(x));
    return [knownLastAxis(x, 'GlobalMaxPooling2D', 'channels')];
  },
  countParams: () => 0,
  buildTfjs: ({ tf, name }) => tf.layers.globalMaxPooling2d({ name }),
};
