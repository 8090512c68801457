// Convolution layers: Conv1D over sequences [steps, channels], Conv2D over images [h, w, channels] (NHWC).
import { ACTIVATIONS, ShapeError, type LayerSpec, type ParamDef, type Shape } from './types.ts';
import { tuple } from './params.ts';
import {
  fmtShape,
  imageReshapeHint,
  knownLastAxis,
  regularizerConfig,
  requireRank,
  sequenceReshapeHint,
  windowOutputLength,
} from './common.ts';
import { trainableDilatedConv } from './atrous-conv.ts';

type Regularizer = { l1?: number; l2?: number } | null;

export type ConvParams = {
  filters: number;
  kernelSize: number | number[];
  strides: number | number[];
  padding: string;
  activation: string;
  dilationRate: number | number[];
  useBias: boolean;
  kernelRegularizer: Regularizer;
};

function convParamDefs(rank: 1 | 2): ParamDef[] {
  const axes = rank === 1 ? 'steps' : 'rows and columns';
  return [
    {
      name: 'filters',
      kind: 'int',
      default: 32,
      min: 1,
      max: 1 << 16,
      label: 'Filters',
      help: 'Number of output channels (feature detectors).',
    },
    {
      name: 'kernelSize',
      kind: 'intOrTuple',
      default: 3,
      length: rank,
      label: 'Kernel size',
      help:
        rank === 1
          ? 'Window length in steps.'
          : 'Window size: one number for a square window, or [height, width].',
    },
    {
      name: 'strides',
      kind: 'intOrTuple',
      default: 1,
      length: rank,
      label: 'Strides',
      help: `Step between windows along the ${axes}; 2 halves the size.`,
    },
    {
      name: 'padding',
      kind: 'enum',
      default: 'valid',
      options: ['valid', 'same'],
      label: 'Padding',
      help: "'valid': windows stay inside the input, so the output shrinks by kernel − 1. 'same': zero-pad so the output is input ÷ strides (rounded up).",
    },
    {
      name: 'activation',
      kind: 'enum',
      default: 'linear',
      options: ACTIVATIONS,
      label: 'Activation',
      help: 'f applied to each output.',
    },
    {
      name: 'dilationRate',
      kind: 'intOrTuple',
      default: 1,
      length: rank,
      label: 'Dilation rate',
      help: 'Spacing between kernel taps; widens the receptive field without more weights. Needs strides 1.',
    },
    {
      name: 'useBias',
      kind: 'bool',
      default: true,
      label: 'Use bias',
      help: 'Add a learned offset per filter.',
    },
    {
      name: 'kernelRegularizer',
      kind: 'regularizer',
      default: null,
      label: 'Kernel regulariser',
      help: 'L1/L2 penalty on the kernel weights added to the loss, e.g. {"l2": 0.001}.',
    },
  ];
}

function checkConvParams(p: ConvParams, rank: number): string[] {
  const strided = tuple(p.strides, rank).some((s) => s > 1);
  const dilated = tuple(p.dilationRate, rank).some((d) => d > 1);
  return strided && dilated
    ? [
        'strides above 1 cannot be combined with a dilation rate above 1 (tfjs supports one or the other); set one of them to 1.',
      ]
    : [];
}

/** Spatial output sizes; throws when a 'valid' kernel is larger than the input. */
function convSpatial(layer: string, spatial: Shape, p: ConvParams, rank: number): Shape {
  const k = tuple(p.kernelSize, rank);
  const s = tuple(p.strides, rank);
  const d = tuple(p.dilationRate, rank);
  return spatial.map((len, i) => {
    const out = windowOutputLength(len, k[i], s[i], p.padding, d[i]);
    if (out === 0) {
      const span = (k[i] - 1) * d[i] + 1;
      throw new ShapeError(
        `${layer}'s kernel (${k.join('×')}${d[i] > 1 ? `, dilated to ${span}` : ''}) is larger than its input ${fmtShape(spatial)} with padding 'valid'; ` +
          `use a smaller kernelSize, set padding to 'same', or remove a pooling layer before it.`,
      );
    }
    return out;
  });
}

const summarizeConv = (p: ConvParams, rank: number) => {
  const k = tuple(p.kernelSize, rank).join('×');
  const s = tuple(p.strides, rank).some((v) => v > 1) ? ` /${tuple(p.strides, rank).join('×')}` : '';
  return `${p.filters} · ${k}${s} · ${p.padding} · ${p.activation}`;
};

const countConv = (inputs: Shape[], p: ConvParams, rank: number) => {
  const channels = inputs[0][inputs[0].length - 1] ?? 0;
  const taps = tuple(p.kernelSize, rank).reduce((a, b) => a * b, 1);
  return taps * channels * p.filters + (p.useBias ? p.filters : 0);
};

export const Conv1DLayer: LayerSpec<ConvParams> = {
  type: 'Conv1D',
  label: 'Conv1D',
  category: 'Convolution',
  help: {
    summary:
      'Slides a learned window along a sequence; each filter detects one local pattern at every position.',
    equation:
      'y[t, f] = act(b_f + Σ_{i<k} Σ_c W[i, c, f] · x[t·s + i·d, c]);  out_len = ⌈(len − d(k−1)) / s⌉ (valid) or ⌈len / s⌉ (same)',
    whenToUse:
      'Time series, audio and token sequences [steps, channels]: cheap local pattern detection before or instead of an RNN. ' +
      'Stack a few with pooling to see longer ranges; dilation grows the receptive field cheaply.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[20, 3]], params: { filters: 4, kernelSize: 3 } },
    { inputs: [[20, 3]], params: { filters: 2, kernelSize: 5, strides: 2, padding: 'same' } },
    { inputs: [[21, 2]], params: { filters: 3, kernelSize: 4, strides: 3, padding: 'valid' } },
    { inputs: [[20, 3]], params: { filters: 2, kernelSize: 3, dilationRate: 2, activation: 'tanh' } },
    { inputs: [[-1, 4]], params: { filters: 2, kernelSize: 2, padding: 'same', useBias: false } },
  ],
  params: convParamDefs(1),
  summarize: (p) => summarizeConv(p, 1),
  checkParams: (p) => checkConvParams(p, 1),
  inferShape: ([x], p) => {
    requireRank(x, 2, 'Conv1D', 'a sequence [steps, channels]', sequenceReshapeHint(x));
    knownLastAxis(x, 'Conv1D', 'channels');
    return [...convSpatial('Conv1D', x.slice(0, 1), p, 1), p.filters];
  },
  countParams: (inputs, p) => countConv(inputs, p, 1),
  buildTfjs: ({ tf, name }, p) =>
    trainableDilatedConv(
      tf,
      tf.layers.conv1d({
        name,
        filters: p.filters,
        kernelSize: tuple(p.kernelSize, 1)[0],
        strides: tuple(p.strides, 1)[0],
        padding: p.padding as 'valid' | 'same',
        activation: p.activation as never,
        dilationRate: tuple(p.dilationRate, 1)[0],
        useBias: p.useBias,
        kernelRegularizer: regularizerConfig(tf, p.kernelRegularizer),
      }),
    ),
};

export const Conv2DLayer: LayerSpec<ConvParams> = {
  type: 'Conv2D',
  label: 'Conv2D',
  category: 'Convolution',
  help: {
    summary:
      'Slides learned 2D windows over an image; each filter becomes one output channel that lights up where its pattern appears.',
    equation:
      'y[i, j, f] = act(b_f + Σ_{u,v,c} W[u, v, c, f] · x[i·s + u·d, j·s + v·d, c]);  out = ⌈(in − d(k−1)) / s⌉ (valid) or ⌈in / s⌉ (same)',
    whenToUse:
      'Images [height, width, channels]. Typical: 3×3 kernels, relu, filters doubling (32 → 64 → 128) as pooling halves the size. ' +
      "Use padding 'same' to keep the size, strides 2 to downsample without pooling.",
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[28, 28, 1]], params: { filters: 8, kernelSize: 3, activation: 'relu' } },
    { inputs: [[9, 11, 3]], params: { filters: 4, kernelSize: [2, 4], strides: [2, 3] } },
    { inputs: [[9, 11, 3]], params: { filters: 4, kernelSize: 3, strides: 2, padding: 'same' } },
    { inputs: [[12, 10, 2]], params: { filters: 3, kernelSize: 3, dilationRate: 2 } },
    {
      inputs: [[12, 10, 2]],
      params: { filters: 3, kernelSize: [3, 1], dilationRate: [1, 3], padding: 'same', useBias: false },
    },
    { inputs: [[5, 5, 6]], params: { filters: 2, kernelSize: 5, kernelRegularizer: { l1: 0.001 } } },
  ],
  params: convParamDefs(2),
  summarize: (p) => summarizeConv(p, 2),
  checkParams: (p) => checkConvParams(p, 2),
  inferShape: ([x], p) => {
    requireRank(x, 3, 'Conv2D', 'an image [height, width, channels]', imageReshapeHint(x));
    knownLastAxis(x, 'Conv2D', 'channels');
    return [...convSpatial('Conv2D', x.slice(0, 2), p, 2), p.filters];
  },
  countParams: (inputs, p) => countConv(inputs, p, 2),
  buildTfjs: ({ tf, name }, p) =>
    trainableDilatedConv(
      tf,
      tf.layers.conv2d({
        name,
        filters: p.filters,
        kernelSize: tuple(p.kernelSize, 2),
        strides: tuple(p.strides, 2),
        padding: p.padding as 'valid' | 'same',
        activation: p.activation as never,
        dilationRate: tuple(p.dilationRate, 2) as [number, number],
        useBias: p.useBias,
        kernelRegularizer: regularizerConfig(tf, p.kernelRegularizer),
      }),
    ),
};
