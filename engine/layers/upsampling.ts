// UpSampling1D and UpSampling2D: make a sequence longer or an image larger by a whole factor, with no
// weights. tfjs has no UpSampling1D, so it is a custom layer (docs/ARCHITECTURE.md, "The LayerSpec
// contract") that repeats each step with Tile, which has a gradient on every backend.
import type { LayerSpec } from './types.ts';
import { imageReshapeHint, oneInputKind, requireRank, sequenceReshapeHint } from './common.ts';
import { withCustomTfjs } from './custom-tfjs.ts';
import { tuple } from './params.ts';

export type UpSampling1DParams = { size: number };
export type UpSampling2DParams = { size: number | number[]; interpolation: string };

const times = (len: number | null, factor: number) => (len === null ? null : len * factor);

export const UpSampling1DLayer = withCustomTfjs<UpSampling1DParams>(
  {
    ...oneInputKind('UpSampling1D', 'Reshaping'),
    help: {
      summary: 'Repeats every step of a sequence size times: [steps, channels] → [steps·size, channels].',
      equation: 'y[t, c] = x[⌊t / size⌋, c]',
      whenToUse:
        'Sequence decoders and autoencoders: undo a MaxPooling1D or a strided Conv1D before a Conv1D that smooths the repeats.',
    },
    params: [
      {
        name: 'size',
        kind: 'int',
        default: 2,
        min: 1,
        max: 1 << 10,
        label: 'Size',
        help: 'How many times each step is repeated.',
      },
    ],
    examples: [
      { inputs: [[5, 3]], params: {} },
      { inputs: [[4, 2]], params: { size: 3 } },
      { inputs: [[-1, 2]], params: { size: 2 } },
    ],
    summarize: (p) => `×${p.size}`,
    inferShape: ([x], p) => {
      requireRank(
        x,
        2,
        'UpSampling1D',
        'a sequence [steps, channels]',
        sequenceReshapeHint(x, 'UpSampling2D'),
      );
      return [times(x[0], p.size), x[1]];
    },
    countParams: () => 0,
  },
  (tf, [x], p) => {
    const [n, steps, channels] = x.shape;
    return tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, p.size, 1]), [n, steps * p.size, channels]);
  },
);

export const UpSampling2DLayer: LayerSpec<UpSampling2DParams> = {
  ...oneInputKind('UpSampling2D', 'Reshaping'),
  help: {
    summary:
      'Enlarges an image by whole factors: each pixel becomes a block of size rows × columns (nearest), or the blocks blend linearly into their neighbours (bilinear).',
    equation:
      'nearest: y[i, j, c] = x[⌊i / sₕ⌋, ⌊j / s_w⌋, c];  bilinear: with i = a·sₕ + u, y = (1 − u/sₕ)·x[a] + (u/sₕ)·x[a + 1] along rows, then the same along columns (the last row and column repeated)',
    whenToUse:
      'Decoders and U-Nets: a cheap, weightless way to double the size, usually followed by a Conv2D; Conv2DTranspose learns the upsampling instead.',
  },
  params: [
    {
      name: 'size',
      kind: 'intOrTuple',
      default: 2,
      length: 2,
      label: 'Size',
      help: 'Factor for rows and columns: one number for both, or [rows, columns].',
    },
    {
      name: 'interpolation',
      kind: 'enum',
      default: 'nearest',
      options: ['nearest', 'bilinear'],
      label: 'Interpolation',
      help: "'nearest' repeats pixels; 'bilinear' blends between neighbours for a smoother result.",
    },
  ],
  examples: [
    { inputs: [[3, 4, 2]], params: {} },
    { inputs: [[3, 2, 1]], params: { size: [2, 3] } },
    { inputs: [[4, 3, 2]], params: { interpolation: 'bilinear' } },
    { inputs: [[3, 5, 1]], params: { size: [3, 2], interpolation: 'bilinear' } },
  ],
  summarize: (p) => `×${tuple(p.size, 2).join('×')} ${p.interpolation}`,
  inferShape: ([x], p) => {
    requireRank(x, 3, 'UpSampling2D', 'an image [height, width, channels]', imageReshapeHint(x));
    const [h, w] = tuple(p.size, 2);
    return [times(x[0], h), times(x[1], w), x[2]];
  },
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.upSampling2d({
      name,
      size: tuple(p.size, 2),
      interpolation: p.interpolation as 'nearest' | 'bilinear',
    }),
};
