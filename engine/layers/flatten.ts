// Flatten: every axis but the batch into one, e.g. [5, 5, 64] → [1600].
import { ShapeError, type LayerSpec } from './types.ts';
import { elementCount, fmtShape } from './common.ts';

export type FlattenParams = Record<string, never>;

export const FlattenLayer: LayerSpec<FlattenParams> = {
  type: 'Flatten',
  label: 'Flatten',
  category: 'Reshaping',
  help: {
    summary: 'Lays all values of one sample out in a single row: [d₁, d₂, …] → [d₁·d₂·…]. No weights.',
    equation: 'y = vec(x),  len(y) = Π dᵢ',
    whenToUse:
      'Between convolution/pooling blocks and Dense layers. GlobalAveragePooling2D is a lighter alternative.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[5, 5, 4]], params: {} },
    { inputs: [[7, 3]], params: {} },
  ],
  params: [],
  inferShape: ([x]) => {
    if (x.length <= 1) {
      throw new ShapeError(
        `Flatten's input ${fmtShape(x)} is already flat, so Flatten has nothing to do (and tfjs refuses it); remove the Flatten.`,
      );
    }
    const n = elementCount(x);
    if (n === null) {
      throw new ShapeError(
        `Flatten needs every size of its input known, but its input is ${fmtShape(x)} (a size that varies per sample); ` +
          'give the Input a fixed length, or use a GlobalAveragePooling layer instead.',
      );
    }
    return [n];
  },
  countParams: () => 0,
  buildTfjs: ({ tf, name }) => tf.layers.flatten({ name }),
};
