// ZeroPadding2D and Cropping2D: add or remove rows and columns at the edges of an image, the same
// number on both sides of each axis. One factory, as they differ only in the sign.
import { ShapeError, type LayerSpec } from './types.ts';
import { fmtShape, imageReshapeHint, oneInputKind, requireRank } from './common.ts';
import { tuple } from './params.ts';

export type ZeroPadding2DParams = { padding: number | number[] };
export type Cropping2DParams = { cropping: number | number[] };

/** Rows and columns added (padding) or removed (cropping) on each side. */
export const edgeAmounts = (p: ZeroPadding2DParams | Cropping2DParams): [number, number] =>
  tuple('padding' in p ? p.padding : p.cropping, 2) as [number, number];

function edgeLayer<P extends ZeroPadding2DParams | Cropping2DParams>(
  type: 'ZeroPadding2D' | 'Cropping2D',
  def: Pick<LayerSpec<P>, 'help' | 'examples'>,
): LayerSpec<P> {
  const param = type === 'ZeroPadding2D' ? 'padding' : 'cropping';
  const sign = type === 'ZeroPadding2D' ? 1 : -1;
  return {
    ...def,
    ...oneInputKind(type, 'Reshaping'),
    params: [
      {
        name: param,
        kind: 'intOrTuple',
        default: 1,
        length: 2,
        allowZero: true,
        label: type === 'ZeroPadding2D' ? 'Padding' : 'Cropping',
        help: `Rows and columns ${sign > 0 ? 'added' : 'removed'} on each side: one number for all four edges, or [rows, columns].`,
      },
    ],
    summarize: (p) => edgeAmounts(p).join('×'),
    inferShape: ([x], p) => {
      requireRank(x, 3, type, 'an image [height, width, channels]', imageReshapeHint(x));
      const [h, w] = edgeAmounts(p);
      const out = [
        x[0] === null ? null : x[0] + 2 * sign * h,
        x[1] === null ? null : x[1] + 2 * sign * w,
        x[2],
      ];
      if (out.some((d) => d !== null && d <= 0))
        throw new ShapeError(
          `Cropping2D removes ${h} rows and ${w} columns from each side of ${fmtShape(x)}, leaving nothing; crop less.`,
        );
      return out;
    },
    countParams: () => 0,
    buildTfjs: ({ tf, name }, p) => {
      const amounts = edgeAmounts(p);
      return type === 'ZeroPadding2D'
        ? tf.layers.zeroPadding2d({ name, padding: amounts })
        : tf.layers.cropping2D({ name, cropping: amounts });
    },
  };
}

export const ZeroPadding2DLayer = edgeLayer<ZeroPadding2DParams>('ZeroPadding2D', {
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

export const Cropping2DLayer = edgeLayer<Cropping2DParams>('Cropping2D', {
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
