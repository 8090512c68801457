// Windowed pooling: Max/AveragePooling over sequences (1D) and images (2D).
import { ShapeError, type LayerSpec, type ParamDef, type Shape } from './types.ts';
import { tuple } from './params.ts';
import {
  fmtShape,
  imageReshapeHint,
  requireRank,
  sequenceReshapeHint,
  windowOutputLength,
} from './common.ts';

export type PoolParams = {
  poolSize: number | number[];
  /** null means "same as poolSize" (non-overlapping windows). */
  strides: number | number[] | null;
  padding: string;
};

function poolParamDefs(rank: 1 | 2): ParamDef[] {
  return [
    {
      name: 'poolSize',
      kind: 'intOrTuple',
      default: 2,
      length: rank,
      label: 'Pool size',
      help:
        rank === 1
          ? 'Window length in steps.'
          : 'Window size: one number for a square window, or [height, width].',
    },
    {
      name: 'strides',
      kind: 'intOrTuple',
      default: null,
      nullable: true,
      length: rank,
      label: 'Strides',
      help: 'Step between windows; empty (null) means the pool size, so windows do not overlap.',
    },
    {
      name: 'padding',
      kind: 'enum',
      default: 'valid',
      options: ['valid', 'same'],
      label: 'Padding',
      help: "'valid': drop the leftover edge. 'same': pad so the output is input ÷ strides (rounded up).",
    },
  ];
}

const stridesOf = (p: PoolParams, rank: number) => tuple(p.strides ?? p.poolSize, rank);

function poolSpatial(layer: string, spatial: Shape, p: PoolParams, rank: number): Shape {
  const k = tuple(p.poolSize, rank);
  const s = stridesOf(p, rank);
  return spatial.map((len, i) => {
    const out = windowOutputLength(len, k[i], s[i], p.padding);
    if (out === 0) {
      throw new ShapeError(
        `${layer}'s pool window (${k.join('×')}) is larger than its input ${fmtShape(spatial)} with padding 'valid'; ` +
          `use a smaller poolSize, set padding to 'same', or remove an earlier downsampling layer.`,
      );
    }
    return out;
  });
}

const summarizePool = (p: PoolParams, rank: number) => {
  const k = tuple(p.poolSize, rank).join('×');
  return p.strides === null ? k : `${k} /${stridesOf(p, rank).join('×')}`;
};

function infer1D(layer: string, x: Shape, p: PoolParams): Shape {
  requireRank(x, 2, layer, 'a sequence [steps, channels]', sequenceReshapeHint(x, layer.replace('1D', '2D')));
  return [...poolSpatial(layer, x.slice(0, 1), p, 1), x[1]];
}

function infer2D(layer: string, x: Shape, p: PoolParams): Shape {
  requireRank(x, 3, layer, 'an image [height, width, channels]', imageReshapeHint(x));
  return [...poolSpatial(layer, x.slice(0, 2), p, 2), x[2]];
}

const pool1DArgs = (name: string, p: PoolParams) => ({
  name,
  poolSize: tuple(p.poolSize, 1)[0],
  strides: stridesOf(p, 1)[0],
  padding: p.padding as 'valid' | 'same',
});
const pool2DArgs = (name: string, p: PoolParams) => ({
  name,
  poolSize: tuple(p.poolSize, 2) as [number, number],
  strides: stridesOf(p, 2) as [number, number],
  padding: p.padding as 'valid' | 'same',
});

export const MaxPooling1DLayer: LayerSpec<PoolParams> = {
  type: 'MaxPooling1D',
  label: 'MaxPooling1D',
  category: 'Pooling',
  help: {
    summary: 'Keeps the largest value in each window along a sequence, per channel.',
    equation: 'y[t, c] = max_{i<k} x[t·s + i, c];  out_len = ⌊(len − k) / s⌋ + 1 (valid) or ⌈len / s⌉ (same)',
    whenToUse:
      'After Conv1D to shorten a sequence and keep the strongest detections; poolSize 2 halves the length.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[10, 3]], params: {} },
    { inputs: [[10, 3]], params: { poolSize: 3, strides: 1 } },
    { inputs: [[10, 3]], params: { poolSize: 3, padding: 'same' } },
  ],
  params: poolParamDefs(1),
  summarize: (p) => summarizePool(p, 1),
  inferShape: ([x], p) => infer1D('MaxPooling1D', x, p),
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) => tf.layers.maxPooling1d(pool1DArgs(name, p)),
};

export const AveragePooling1DLayer: LayerSpec<PoolParams> = {
  type: 'AveragePooling1D',
  label: 'AveragePooling1D',
  category: 'Pooling',
  help: {
    summary: 'Averages each window along a sequence, per channel.',
    equation:
      'y[t, c] = (1/k) Σ_{i<k} x[t·s + i, c];  out_len = ⌊(len − k) / s⌋ + 1 (valid) or ⌈len / s⌉ (same)',
    whenToUse:
      'To shorten a sequence smoothly (e.g. downsample a signal); max pooling is usually better after a relu Conv1D.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[11, 2]], params: { poolSize: 3, strides: 2 } },
    { inputs: [[11, 2]], params: { poolSize: 4, padding: 'same' } },
  ],
  params: poolParamDefs(1),
  summarize: (p) => summarizePool(p, 1),
  inferShape: ([x], p) => infer1D('AveragePooling1D', x, p),
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) => tf.layers.averagePooling1d(pool1DArgs(name, p)),
};

export const MaxPooling2DLayer: LayerSpec<PoolParams> = {
  type: 'MaxPooling2D',
  label: 'MaxPooling2D',
  category: 'Pooling',
  help: {
    summary: 'Keeps the largest value in each window of an image, per channel.',
    equation:
      'y[i, j, c] = max_{u,v} x[i·s + u, j·s + v, c];  out = ⌊(in − k) / s⌋ + 1 (valid) or ⌈in / s⌉ (same)',
    whenToUse:
      'After Conv2D blocks: poolSize 2 halves height and width, keeps the strongest responses and adds a little translation invariance.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[7, 7, 2]], params: {} },
    { inputs: [[7, 7, 2]], params: { padding: 'same' } },
    { inputs: [[9, 8, 1]], params: { poolSize: [2, 3], strides: [1, 2] } },
  ],
  params: poolParamDefs(2),
  summarize: (p) => summarizePool(p, 2),
  inferShape: ([x], p) => infer2D('MaxPooling2D', x, p),
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) => tf.layers.maxPooling2d(pool2DArgs(name, p)),
};

export const AveragePooling2DLayer: LayerSpec<PoolParams> = {
  type: 'AveragePooling2D',
  label: 'AveragePooling2D',
  category: 'Pooling',
  help: {
    summary: 'Averages each window of an image, per channel.',
    equation:
      'y[i, j, c] = (1/k²) Σ_{u,v} x[i·s + u, j·s + v, c];  out = ⌊(in − k) / s⌋ + 1 (valid) or ⌈in / s⌉ (same)',
    whenToUse:
      'Smooth downsampling of feature maps; in classifiers MaxPooling2D or GlobalAveragePooling2D are more common.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[7, 9, 2]], params: { poolSize: 3, strides: 2, padding: 'same' } },
    { inputs: [[6, 6, 3]], params: { poolSize: [3, 2] } },
  ],
  params: poolParamDefs(2),
  summarize: (p) => summarizePool(p, 2),
  inferShape: ([x], p) => infer2D('AveragePooling2D', x, p),
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) => tf.layers.averagePooling2d(pool2DArgs(name, p)),
};
