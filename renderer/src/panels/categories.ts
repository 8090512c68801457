// Palette order and colour class of each layer category.
import type { LayerCategory } from '../../../engine/layers/types.ts';

export const CATEGORY_ORDER: LayerCategory[] = [
  'Input / Output',
  'Core',
  'Convolution',
  'Pooling',
  'Recurrent',
  'Attention',
  'Normalization',
  'Regularization',
  'Merge',
  'Reshaping',
];

export const categoryClass = (c: LayerCategory | undefined): string =>
  `cat-${(c ?? 'core').toLowerCase().replace(/[^a-z]+/g, '-')}`;
