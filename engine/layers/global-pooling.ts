// Global pooling: collapse every position of a sequence (1D), image (2D) or volume (3D) into one
// value per channel, from one factory with the rank as a parameter. tfjs has no 3D global pooling,
// so those two are registered classes of their own (engine/layers/custom-tfjs.ts).
import type { LayerHelp, LayerSpec, Shape } from './types.ts';
import { imageReshapeHint, knownLastAxis, oneInputKind, requireRank, sequenceReshapeHint } from './common.ts';
import { withCustomTfjs } from './custom-tfjs.ts';

export type GlobalPoolParams = Record<string, never>;

const INPUT: Record<1 | 2 | 3, { expected: string; hint: (x: Shape, twin: string) => string }> = {
  1: { expected: 'a sequence [steps, channels]', hint: (x, twin) => sequenceReshapeHint(x, twin) },
  2: { expected: 'an image [height, width, channels]', hint: (x) => imageReshapeHint(x) },
  3: {
    expected: 'a volume [depth, height, width, channels]',
    hint: () => 'add a Reshape to [depth, height, width, channels] before it',
  },
};

export function globalPoolLayer(
  rank: 1 | 2 | 3,
  kind: 'Average' | 'Max',
  def: { help: LayerHelp; examples: LayerSpec['examples'] },
): LayerSpec<GlobalPoolParams> {
  const type = `Global${kind}Pooling${rank}D`;
  const spec = {
    ...def,
    ...oneInputKind(type, 'Pooling'),
    params: [],
    inferShape: ([x]: Shape[]) => {
      requireRank(x, rank + 1, type, INPUT[rank].expected, INPUT[rank].hint(x, type.replace('1D', '2D')));
      return [knownLastAxis(x, type, 'channels')];
    },
    countParams: () => 0,
  };
  const axes = Array.from({ length: rank }, (_, i) => i + 1);
  if (rank === 3)
    return withCustomTfjs<GlobalPoolParams>(spec, (tf, [x]) =>
      kind === 'Max' ? tf.max(x, axes) : tf.mean(x, axes),
    );
  const builder = `global${kind}Pooling${rank}d` as const;
  return { ...spec, buildTfjs: ({ tf, name }) => tf.layers[builder]({ name }) };
}

export const GlobalAveragePooling1DLayer = globalPoolLayer(1, 'Average', {
  help: {
    summary: 'Averages over all steps of a sequence: [steps, channels] → [channels].',
    equation: 'y[c] = (1/T) Σ_t x[t, c]',
    whenToUse:
      'Turn a variable-length sequence of features into one vector before a Dense head (e.g. after Conv1D or an Embedding).',
  },
  examples: [{ inputs: [[10, 3]], params: {} }],
});

export const GlobalMaxPooling1DLayer = globalPoolLayer(1, 'Max', {
  help: {
    summary: 'Keeps the largest value over all steps of a sequence: [steps, channels] → [channels].',
    equation: 'y[c] = max_t x[t, c]',
    whenToUse: 'Text and signal classifiers: "was this pattern present anywhere?" after Conv1D.',
  },
  examples: [{ inputs: [[-1, 5]], params: {} }],
});

export const GlobalAveragePooling2DLayer = globalPoolLayer(2, 'Average', {
  help: {
    summary: 'Averages each channel over the whole image: [height, width, channels] → [channels].',
    equation: 'y[c] = (1/(H·W)) Σ_{i,j} x[i, j, c]',
    whenToUse:
      'The modern replacement for Flatten in CNN classifiers: far fewer parameters in the head and any input size works.',
  },
  examples: [{ inputs: [[4, 5, 6]], params: {} }],
});

export const GlobalMaxPooling2DLayer = globalPoolLayer(2, 'Max', {
  help: {
    summary:
      'Keeps the largest value of each channel over the whole image: [height, width, channels] → [channels].',
    equation: 'y[c] = max_{i,j} x[i, j, c]',
    whenToUse: 'CNN heads where the presence of a feature anywhere matters more than its average strength.',
  },
  examples: [{ inputs: [[4, 5, 6]], params: {} }],
});

export const GlobalAveragePooling3DLayer = globalPoolLayer(3, 'Average', {
  help: {
    summary: 'Averages each channel over the whole volume: [depth, height, width, channels] → [channels].',
    equation: 'y[c] = (1/(D·H·W)) Σ_{d,i,j} x[d, i, j, c]',
    whenToUse: 'The head of a 3D CNN (video clips, medical volumes) before a Dense classifier.',
  },
  examples: [{ inputs: [[3, 4, 2, 5]], params: {} }],
});

export const GlobalMaxPooling3DLayer = globalPoolLayer(3, 'Max', {
  help: {
    summary:
      'Keeps the largest value of each channel over the whole volume: [depth, height, width, channels] → [channels].',
    equation: 'y[c] = max_{d,i,j} x[d, i, j, c]',
    whenToUse: '3D CNN heads where a feature present anywhere in the volume decides.',
  },
  examples: [{ inputs: [[3, 4, 2, 5]], params: {} }],
});
