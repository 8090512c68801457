// Convolution layers from one factory with the rank as a parameter (as Keras' base_conv serves every
// rank): Conv1D over sequences [steps, channels], Conv2D over images [h, w, channels] (NHWC), Conv3D
// over volumes [depth, h, w, channels].
import {
  ACTIVATIONS,
  ShapeError,
  type LayerExample,
  type LayerSpec,
  type ParamDef,
  type Shape,
} from './types.ts';
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

export type ConvRank = 1 | 2 | 3;

export function convParamDefs(rank: ConvRank): ParamDef[] {
  const axes = ['steps', 'rows and columns', 'depth, rows and columns'][rank - 1];
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
      help: [
        'Window length in steps.',
        'Window size: one number for a square window, or [height, width].',
        'Window size: one number for a cube, or [depth, height, width].',
      ][rank - 1],
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
  const strides = tuple(p.strides, rank);
  const kernel = tuple(p.kernelSize, rank);
  const problems: string[] = [];
  if (strides.some((s) => s > 1) && tuple(p.dilationRate, rank).some((d) => d > 1))
    problems.push(
      'strides above 1 cannot be combined with a dilation rate above 1 (tfjs supports one or the other); set one of them to 1.',
    );
  // tfjs's 3D 'same' padding can come out negative (no max(0, …) as in 2D), shifting the windows
  // away from what TensorFlow, Keras and ONNX compute.
  if (rank === 3 && p.padding === 'same' && strides.some((s, i) => s > kernel[i]))
    problems.push(
      "with padding 'same', the strides may be no larger than kernelSize on each axis (TensorFlow.js shifts the windows otherwise); lower the strides, enlarge the kernel or use padding 'valid'.",
    );
  return problems;
}

/** Spatial output sizes; throws when a 'valid' kernel is larger than the input. */
export function convSpatial(
  layer: string,
  spatial: Shape,
  p: Pick<ConvParams, 'kernelSize' | 'strides' | 'padding'> & { dilationRate?: ConvParams['dilationRate'] },
  rank: number,
): Shape {
  const k = tuple(p.kernelSize, rank);
  const s = tuple(p.strides, rank);
  const d = tuple(p.dilationRate ?? 1, rank);
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

/** The canvas summary of a convolution: "filters · kernel /strides · padding · activation". */
export const summarizeConv = (
  p: Pick<ConvParams, 'kernelSize' | 'strides' | 'padding' | 'activation'>,
  rank: number,
  outputs: string | number,
) => {
  const k = tuple(p.kernelSize, rank).join('×');
  const s = tuple(p.strides, rank).some((v) => v > 1) ? ` /${tuple(p.strides, rank).join('×')}` : '';
  return `${outputs} · ${k}${s} · ${p.padding} · ${p.activation}`;
};

const countConv = (inputs: Shape[], p: ConvParams, rank: number) => {
  const channels = inputs[0][inputs[0].length - 1] ?? 0;
  const taps = tuple(p.kernelSize, rank).reduce((a, b) => a * b, 1);
  return taps * channels * p.filters + (p.useBias ? p.filters : 0);
};

/** What the input of a rank-`rank` window layer is, and how to make one (for its shape errors). */
export function spatialInput(rank: ConvRank, x: Shape): { expected: string; fix: string } {
  if (rank === 1) return { expected: 'a sequence [steps, channels]', fix: sequenceReshapeHint(x, 'Conv2D') };
  if (rank === 2) return { expected: 'an image [height, width, channels]', fix: imageReshapeHint(x) };
  return {
    expected: 'a volume [depth, height, width, channels]',
    fix: 'add a Reshape to [depth, height, width, channels] before it',
  };
}

interface ConvText {
  help: LayerSpec['help'];
  examples: LayerExample[];
}

/** The Conv1D/Conv2D/Conv3D spec: everything but its help text and examples depends on the rank only. */
function convLayer(rank: ConvRank, text: ConvText): LayerSpec<ConvParams> {
  const type = `Conv${rank}D`;
  return {
    type,
    label: type,
    category: 'Convolution',
    help: text.help,
    arity: { min: 1, max: 1 },
    producesOutput: true,
    examples: text.examples,
    params: convParamDefs(rank),
    summarize: (p) => summarizeConv(p, rank, p.filters),
    checkParams: (p) => checkConvParams(p, rank),
    inferShape: ([x], p) => {
      const { expected, fix } = spatialInput(rank, x);
      requireRank(x, rank + 1, type, expected, fix);
      knownLastAxis(x, type, 'channels');
      return [...convSpatial(type, x.slice(0, rank), p, rank), p.filters];
    },
    countParams: (inputs, p) => countConv(inputs, p, rank),
    buildTfjs: ({ tf, name }, p) => {
      const args = {
        name,
        filters: p.filters,
        kernelSize: tuple(p.kernelSize, rank),
        strides: tuple(p.strides, rank),
        padding: p.padding as 'valid' | 'same',
        activation: p.activation as never,
        dilationRate: tuple(p.dilationRate, rank),
        useBias: p.useBias,
        kernelRegularizer: regularizerConfig(tf, p.kernelRegularizer),
      };
      const build = [tf.layers.conv1d, tf.layers.conv2d, tf.layers.conv3d][rank - 1];
      return trainableDilatedConv(tf, build(args as never));
    },
  };
}

export const Conv1DLayer = convLayer(1, {
  help: {
    summary:
      'Slides a learned window along a sequence; each filter detects one local pattern at every position.',
    equation:
      'y[t, f] = act(b_f + Σ_{i<k} Σ_c W[i, c, f] · x[t·s + i·d, c]);  out_len = ⌈(len − d(k−1)) / s⌉ (valid) or ⌈len / s⌉ (same)',
    whenToUse:
      'Time series, audio and token sequences [steps, channels]: cheap local pattern detection before or instead of an RNN. ' +
      'Stack a few with pooling to see longer ranges; dilation grows the receptive field cheaply.',
  },
  examples: [
    { inputs: [[20, 3]], params: { filters: 4, kernelSize: 3 } },
    { inputs: [[20, 3]], params: { filters: 2, kernelSize: 5, strides: 2, padding: 'same' } },
    { inputs: [[21, 2]], params: { filters: 3, kernelSize: 4, strides: 3, padding: 'valid' } },
    { inputs: [[20, 3]], params: { filters: 2, kernelSize: 3, dilationRate: 2, activation: 'tanh' } },
    { inputs: [[-1, 4]], params: { filters: 2, kernelSize: 2, padding: 'same', useBias: false } },
  ],
});

export const Conv2DLayer = convLayer(2, {
  help: {
    summary:
      'Slides learned 2D windows over an image; each filter becomes one output channel that lights up where its pattern appears.',
    equation:
      'y[i, j, f] = act(b_f + Σ_{u,v,c} W[u, v, c, f] · x[i·s + u·d, j·s + v·d, c]);  out = ⌈(in − d(k−1)) / s⌉ (valid) or ⌈in / s⌉ (same)',
    whenToUse:
      'Images [height, width, channels]. Typical: 3×3 kernels, relu, filters doubling (32 → 64 → 128) as pooling halves the size. ' +
      "Use padding 'same' to keep the size, strides 2 to downsample without pooling.",
  },
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
});

export const Conv3DLayer = convLayer(3, {
  help: {
    summary:
      'Slides learned 3D windows through a volume (a video clip, a CT scan); each filter becomes one output channel.',
    equation:
      'y[z, i, j, f] = act(b_f + Σ_{w,u,v,c} W[w, u, v, c, f] · x[z·s + w·d, i·s + u·d, j·s + v·d, c]);  out = ⌈(in − d(k−1)) / s⌉ (valid) or ⌈in / s⌉ (same)',
    whenToUse:
      'Volumes [depth, height, width, channels]: frames of a short video, slices of a medical scan. ' +
      'Costs k³ weights per channel pair, so keep kernels at 3 and filters small; pool with MaxPooling3D.',
  },
  examples: [
    { inputs: [[5, 6, 7, 2]], params: { filters: 3, kernelSize: 3, activation: 'relu' } },
    { inputs: [[6, 5, 4, 1]], params: { filters: 2, kernelSize: [2, 3, 2], strides: 2, padding: 'same' } },
    { inputs: [[7, 7, 5, 2]], params: { filters: 2, kernelSize: 2, dilationRate: 2, useBias: false } },
  ],
});
