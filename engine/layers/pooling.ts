// Windowed pooling: Max/AveragePooling over sequences (1D), images (2D) and volumes (3D).
import { ShapeError, type LayerSpec, type ParamDef, type Shape } from './types.ts';
import { tuple } from './params.ts';
import {
  oneInputKind,
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

function poolParamDefs(rank: PoolRank): ParamDef[] {
  return [
    {
      name: 'poolSize',
      kind: 'intOrTuple',
      default: 2,
      length: rank,
      label: 'Pool size',
      help: [
        'Window length in steps.',
        'Window size: one number for a square window, or [height, width].',
        'Window size: one number for a cube, or [depth, height, width].',
      ][rank - 1],
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

/** What a pooling of each rank reads, and how to fix a wrong input. */
const POOL_INPUT: Record<PoolRank, { expected: string; hint: (x: Shape, layer: string) => string }> = {
  1: {
    expected: 'a sequence [steps, channels]',
    hint: (x, layer) => sequenceReshapeHint(x, layer.replace('1D', '2D')),
  },
  2: { expected: 'an image [height, width, channels]', hint: (x) => imageReshapeHint(x) },
  3: {
    expected: 'a volume [depth, height, width, channels]',
    hint: () => 'add a Reshape to [depth, height, width, channels] before it',
  },
};

export type PoolRank = 1 | 2 | 3;

/**
 * Max/AveragePooling1D/2D/3D from one factory with the rank as a parameter (as convLayer): only the
 * help and examples differ between kinds.
 */
export function poolLayer(
  rank: PoolRank,
  kind: 'Max' | 'Average',
  def: Pick<LayerSpec<PoolParams>, 'help' | 'examples'>,
): LayerSpec<PoolParams> {
  const type = `${kind}Pooling${rank}D`;
  const builder = `${kind === 'Max' ? 'max' : 'average'}Pooling${rank}d` as const;
  return {
    ...def,
    ...oneInputKind(type, 'Pooling'),
    params: poolParamDefs(rank),
    summarize: (p) => summarizePool(p, rank),
    // tfjs's 3D 'same' padding goes negative when a stride exceeds the window (as in Conv3D).
    checkParams: (p) =>
      rank === 3 && p.padding === 'same' && stridesOf(p, 3).some((s, i) => s > tuple(p.poolSize, 3)[i])
        ? [
            "with padding 'same', the strides may be no larger than poolSize on each axis (TensorFlow.js shifts the windows otherwise); lower the strides or use padding 'valid'.",
          ]
        : [],
    inferShape: ([x], p) => {
      requireRank(x, rank + 1, type, POOL_INPUT[rank].expected, POOL_INPUT[rank].hint(x, type));
      return [...poolSpatial(type, x.slice(0, rank), p, rank), x[rank]];
    },
    countParams: () => 0,
    buildTfjs: ({ tf, name }, p) => {
      const args = {
        name,
        poolSize: rank === 1 ? tuple(p.poolSize, 1)[0] : tuple(p.poolSize, rank),
        strides: rank === 1 ? stridesOf(p, 1)[0] : stridesOf(p, rank),
        padding: p.padding as 'valid' | 'same',
      };
      return tf.layers[builder](args as never);
    },
  };
}

export const MaxPooling1DLayer = poolLayer(1, 'Max', {
  help: {
    summary: 'Keeps the largest value in each window along a sequence, per channel.',
    equation: 'y[t, c] = max_{i<k} x[t·s + i, c];  out_len = ⌊(len − k) / s⌋ + 1 (valid) or ⌈len / s⌉ (same)',
    whenToUse:
      'After Conv1D to shorten a sequence and keep the strongest detections; poolSize 2 halves the length.',
  },
  examples: [
    { inputs: [[10, 3]], params: {} },
    { inputs: [[10, 3]], params: { poolSize: 3, strides: 1 } },
    { inputs: [[10, 3]], params: { poolSize: 3, padding: 'same' } },
  ],
});

export const AveragePooling1DLayer = poolLayer(1, 'Average', {
  help: {
    summary: 'Averages each window along a sequence, per channel.',
    equation:
      'y[t, c] = (1/k) Σ_{i<k} x[t·s + i, c];  out_len = ⌊(len − k) / s⌋ + 1 (valid) or ⌈len / s⌉ (same)',
    whenToUse:
      'To shorten a sequence smoothly (e.g. downsample a signal); max pooling is usually better after a relu Conv1D.',
  },
  examples: [
    { inputs: [[11, 2]], params: { poolSize: 3, strides: 2 } },
    { inputs: [[11, 2]], params: { poolSize: 4, padding: 'same' } },
  ],
});

export const MaxPooling2DLayer = poolLayer(2, 'Max', {
  help: {
    summary: 'Keeps the largest value in each window of an image, per channel.',
    equation:
      'y[i, j, c] = max_{u,v} x[i·s + u, j·s + v, c];  out = ⌊(in − k) / s⌋ + 1 (valid) or ⌈in / s⌉ (same)',
    whenToUse:
      'After Conv2D blocks: poolSize 2 halves height and width, keeps the strongest responses and adds a little translation invariance.',
  },
  examples: [
    { inputs: [[7, 7, 2]], params: {} },
    { inputs: [[7, 7, 2]], params: { padding: 'same' } },
    { inputs: [[9, 8, 1]], params: { poolSize: [2, 3], strides: [1, 2] } },
  ],
});

export const AveragePooling2DLayer = poolLayer(2, 'Average', {
  help: {
    summary: 'Averages each window of an image, per channel.',
    equation:
      'y[i, j, c] = (1/k²) Σ_{u,v} x[i·s + u, j·s + v, c];  out = ⌊(in − k) / s⌋ + 1 (valid) or ⌈in / s⌉ (same)',
    whenToUse:
      'Smooth downsampling of feature maps; in classifiers MaxPooling2D or GlobalAveragePooling2D are more common.',
  },
  examples: [
    { inputs: [[7, 9, 2]], params: { poolSize: 3, strides: 2, padding: 'same' } },
    { inputs: [[6, 6, 3]], params: { poolSize: [3, 2] } },
  ],
});

export const MaxPooling3DLayer = poolLayer(3, 'Max', {
  help: {
    summary: 'Keeps the largest value in each window of a volume (video, CT scan), per channel.',
    equation:
      'y[d, i, j, c] = max_{t,u,v} x[d·s + t, i·s + u, j·s + v, c];  out = ⌊(in − k) / s⌋ + 1 (valid) or ⌈in / s⌉ (same)',
    whenToUse: 'After Conv3D blocks: poolSize 2 halves depth, height and width.',
  },
  examples: [
    { inputs: [[4, 5, 4, 2]], params: {} },
    { inputs: [[5, 5, 3, 1]], params: { poolSize: [2, 3, 1], padding: 'same' } },
    { inputs: [[4, 4, 3, 2]], params: { poolSize: 2, strides: 1 } },
  ],
});

export const AveragePooling3DLayer = poolLayer(3, 'Average', {
  help: {
    summary: 'Averages each window of a volume, per channel.',
    equation:
      'y[d, i, j, c] = (1/k³) Σ_{t,u,v} x[d·s + t, i·s + u, j·s + v, c];  out = ⌊(in − k) / s⌋ + 1 (valid) or ⌈in / s⌉ (same)',
    whenToUse: 'Smooth downsampling of 3D feature maps (after Conv3D).',
  },
  examples: [
    { inputs: [[4, 4, 4, 2]], params: {} },
    { inputs: [[5, 4, 3, 2]], params: { poolSize: 2, strides: 1, padding: 'same' } },
  ],
});
