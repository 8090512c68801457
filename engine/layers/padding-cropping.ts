// ZeroPadding1D/2D and Cropping1D/2D: add or remove steps of a sequence, or rows and columns of an
// image, at its edges. One factory with the rank as a parameter, as the kinds differ only in the
// sign and the number of spatial axes. tfjs has ZeroPadding2D and Cropping2D; the 1D kinds are tfjs
// custom layers (engine/layers/custom-tfjs.ts) computed with pad and slice.
import { ShapeError, type LayerSpec, type Shape } from './types.ts';
import { withCustomTfjs } from './custom-tfjs.ts';
import { fmtShape, imageReshapeHint, oneInputKind, requireRank, sequenceReshapeHint } from './common.ts';
import { tuple } from './params.ts';

export type PaddingParams = { padding: number | number[] };
export type CroppingParams = { cropping: number | number[] };
type EdgeParams = PaddingParams | CroppingParams;
export type EdgeRank = 1 | 2;

/**
 * [before, after] per spatial axis. 1D takes one number or [start, end] (Keras' ZeroPadding1D and
 * Cropping1D); 2D one number or [rows, columns], the same on both sides of each axis.
 */
export function edgePairs(rank: EdgeRank, p: EdgeParams): [number, number][] {
  const [a, b] = tuple('padding' in p ? p.padding : p.cropping, 2);
  return rank === 1
    ? [[a, b]]
    : [
        [a, a],
        [b, b],
      ];
}

const INPUT: Record<EdgeRank, { expected: string; hint: (x: Shape) => string }> = {
  1: { expected: 'a sequence [timesteps, features]', hint: (x) => sequenceReshapeHint(x) },
  2: { expected: 'an image [height, width, channels]', hint: imageReshapeHint },
};

function edgeLayer<P extends EdgeParams>(
  rank: EdgeRank,
  op: 'pad' | 'crop',
  def: Pick<LayerSpec<P>, 'help' | 'examples'>,
): LayerSpec<P> {
  const type = `${op === 'pad' ? 'ZeroPadding' : 'Cropping'}${rank}D`;
  const param = op === 'pad' ? 'padding' : 'cropping';
  const sign = op === 'pad' ? 1 : -1;
  const done = op === 'pad' ? 'added' : 'removed';
  const spec = {
    ...def,
    ...oneInputKind(type, 'Reshaping'),
    params: [
      {
        name: param,
        kind: 'intOrTuple' as const,
        default: 1,
        length: 2,
        allowZero: true,
        label: op === 'pad' ? 'Padding' : 'Cropping',
        help:
          rank === 1
            ? `Steps ${done} at each end: one number for both, or [start, end].`
            : `Rows and columns ${done} on each side: one number for all four edges, or [rows, columns].`,
      },
    ],
    summarize: (p: P) =>
      rank === 1
        ? edgePairs(rank, p)[0].join(', ')
        : edgePairs(rank, p)
            .map(([k]) => k)
            .join('×'),
    inferShape: ([x]: Shape[], p: P) => {
      requireRank(x, rank + 1, type, INPUT[rank].expected, INPUT[rank].hint(x));
      const pairs = edgePairs(rank, p);
      // A size that varies per sample could be cropped to nothing at run time.
      if (op === 'crop' && x.slice(0, rank).includes(null))
        throw new ShapeError(
          `${type} needs a fixed ${rank === 1 ? 'number of timesteps' : 'height and width'}, but its input is ${fmtShape(x)}; give the Input a fixed size.`,
        );
      const out = x.map((d, axis) =>
        axis === rank || d === null ? d : d + sign * (pairs[axis][0] + pairs[axis][1]),
      );
      if (out.some((d) => d !== null && d <= 0))
        throw new ShapeError(
          `${type} removes ${pairs.map(([a, b]) => a + b).join(' and ')} of ${fmtShape(x)}, leaving nothing; crop less.`,
        );
      return out;
    },
    countParams: () => 0,
  };
  if (rank === 1)
    return withCustomTfjs<P>(spec, (tf, [x], p) => {
      const [[start, end]] = edgePairs(1, p);
      if (op === 'pad')
        return tf.pad(x, [
          [0, 0],
          [start, end],
          [0, 0],
        ]);
      const [batch, steps, features] = x.shape;
      return tf.slice(x, [0, start, 0], [batch, steps - start - end, features]);
    });
  return {
    ...spec,
    buildTfjs: ({ tf, name }, p) => {
      const amounts = edgePairs(2, p).map(([k]) => k) as [number, number];
      return op === 'pad'
        ? tf.layers.zeroPadding2d({ name, padding: amounts })
        : tf.layers.cropping2D({ name, cropping: amounts });
    },
  };
}

export const ZeroPadding1DLayer = edgeLayer<PaddingParams>(1, 'pad', {
  help: {
    summary: 'Adds steps of zeros at the start and end of a sequence.',
    equation: 'y has size [start + T + end, F]; y = x in the middle, 0 at both ends',
    whenToUse:
      "Explicit padding before a 'valid' Conv1D or pooling, e.g. to keep the length or give a causal convolution its history.",
  },
  examples: [
    { inputs: [[5, 3]], params: {} },
    { inputs: [[4, 2]], params: { padding: [3, 0] } },
  ],
});

export const Cropping1DLayer = edgeLayer<CroppingParams>(1, 'crop', {
  help: {
    summary: 'Removes steps at the start and end of a sequence.',
    equation: 'y = x[start : T − end, :]',
    whenToUse: 'Trimming warm-up steps, or making two branches the same length before a Concatenate.',
  },
  examples: [
    { inputs: [[7, 3]], params: {} },
    { inputs: [[6, 2]], params: { cropping: [0, 2] } },
  ],
});

export const ZeroPadding2DLayer = edgeLayer<PaddingParams>(2, 'pad', {
  help: {
    summary: 'Adds rows and columns of zeros around an image.',
    equation: 'y has size [H + 2·rows, W + 2·columns, C]; y = x in the middle, 0 around it',
    whenToUse:
      "Explicit padding before a 'valid' convolution or pooling, e.g. to keep the size or match a pretrained net.",
  },
  examples: [
    { inputs: [[4, 5, 2]], params: {} },
    { inputs: [[3, 3, 1]], params: { padding: [2, 0] } },
  ],
});

export const Cropping2DLayer = edgeLayer<CroppingParams>(2, 'crop', {
  help: {
    summary: 'Removes rows and columns at the edges of an image.',
    equation: 'y = x[rows : H − rows, columns : W − columns, :]',
    whenToUse: 'Trimming borders, or making two branches of a U-Net the same size before a Concatenate.',
  },
  examples: [
    { inputs: [[6, 7, 2]], params: {} },
    { inputs: [[5, 6, 1]], params: { cropping: [0, 2] } },
  ],
});
