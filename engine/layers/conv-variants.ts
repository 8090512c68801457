// The 2D convolutions beside Conv2D: Conv2DTranspose (the gradient of a convolution with respect to
// its input, run forward: it upsamples), DepthwiseConv2D (one window per input channel) and
// SeparableConv2D (a depthwise convolution, then a 1×1 one). Their params are Conv2D's, picked by
// name, plus the depth multiplier.
import { type LayerSpec, type ParamDef, type Shape } from './types.ts';
import { tuple } from './params.ts';
import { knownLastAxis, oneInputKind, requireRank } from './common.ts';
import { convParamDefs, convSpatial, spatialInput, summarizeConv } from './conv.ts';

type WindowParams = {
  kernelSize: number | number[];
  strides: number | number[];
  padding: string;
  activation: string;
  useBias: boolean;
};
export type Conv2DTransposeParams = WindowParams & { filters: number };
export type DepthwiseConv2DParams = WindowParams & { depthMultiplier: number };
export type SeparableConv2DParams = WindowParams & { filters: number; depthMultiplier: number };

const DEPTH_MULTIPLIER: ParamDef = {
  name: 'depthMultiplier',
  kind: 'int',
  default: 1,
  min: 1,
  max: 1 << 10,
  label: 'Depth multiplier',
  help: 'Output channels per input channel of the depthwise step (channels × multiplier in all).',
};

/** Conv2D's ParamDefs by name, in Conv2D's order, with some replaced. */
function paramsOf(names: string[], replaced: ParamDef[] = []): ParamDef[] {
  return convParamDefs(2)
    .filter((d) => names.includes(d.name))
    .map((d) => replaced.find((r) => r.name === d.name) ?? d)
    .concat(replaced.filter((r) => !names.includes(r.name)));
}

/** The image input's channels; throws the rank and channel errors Conv2D throws. */
function imageChannels(type: string, x: Shape): number {
  const { expected, fix } = spatialInput(2, x);
  requireRank(x, 3, type, expected, fix);
  return knownLastAxis(x, type, 'channels');
}

const taps = (p: WindowParams) => tuple(p.kernelSize, 2).reduce((a, b) => a * b, 1);

/** Output rows and columns of a transposed convolution (tfjs conv_utils.deconvLength). */
export function transposedSpatial(x: Shape, p: WindowParams): Shape {
  const k = tuple(p.kernelSize, 2);
  const s = tuple(p.strides, 2);
  return x
    .slice(0, 2)
    .map((len, i) =>
      len === null ? null : len * s[i] + (p.padding === 'valid' ? Math.max(k[i] - s[i], 0) : 0),
    );
}

export const Conv2DTransposeLayer: LayerSpec<Conv2DTransposeParams> = {
  ...oneInputKind('Conv2DTranspose', 'Convolution'),
  help: {
    summary:
      'A convolution run backwards: each input pixel stamps a learned window, scaled by its value, onto a larger output. Learns to upsample.',
    equation:
      'y[i, j, f] = act(b_f + Σ_{u,v,c : i = a·s + u − p, j = b·s + v − q} W[u, v, f, c] · x[a, b, c]);  out = in·s + max(k − s, 0) (valid) or in·s (same)',
    whenToUse:
      'Decoders: autoencoders, segmentation (U-Net), image generators. strides 2 doubles height and width; kernelSize a multiple of the strides (4 with strides 2) avoids checkerboard artefacts. UpSampling2D + Conv2D is the smooth alternative.',
  },
  params: paramsOf(
    ['filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias'],
    [
      {
        name: 'padding',
        kind: 'enum',
        default: 'valid',
        options: ['valid', 'same'],
        label: 'Padding',
        help: "'same': the output is exactly input × strides. 'valid': it also keeps the overhang, kernel − strides more rows and columns.",
      },
    ],
  ),
  examples: [
    { inputs: [[4, 4, 3]], params: { filters: 2, kernelSize: 3, strides: 2 } },
    { inputs: [[5, 4, 2]], params: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' } },
    { inputs: [[3, 5, 2]], params: { filters: 2, kernelSize: [2, 3], strides: [3, 2], activation: 'relu' } },
    {
      inputs: [[4, 3, 1]],
      params: { filters: 2, kernelSize: 4, strides: 2, padding: 'same', useBias: false },
    },
    { inputs: [[3, 3, 2]], params: { filters: 2, kernelSize: 2, strides: 3, padding: 'same' } },
  ],
  summarize: (p) => summarizeConv(p, 2, p.filters),
  inferShape: ([x], p) => {
    imageChannels('Conv2DTranspose', x);
    return [...transposedSpatial(x, p), p.filters];
  },
  countParams: ([x], p) => taps(p) * (x[2] ?? 0) * p.filters + (p.useBias ? p.filters : 0),
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.conv2dTranspose({
      name,
      filters: p.filters,
      kernelSize: tuple(p.kernelSize, 2),
      strides: tuple(p.strides, 2),
      padding: p.padding as 'valid' | 'same',
      activation: p.activation as never,
      useBias: p.useBias,
    }),
};

/** The depthwise step's output rows and columns, with Conv2D's error when the window does not fit. */
const depthwiseSpatial = (type: string, x: Shape, p: WindowParams) => convSpatial(type, x.slice(0, 2), p, 2);

const DEPTHWISE_EQUATION = 'd[i, j, c·m + k] = Σ_{u,v} D[u, v, c, k] · x[i·s + u, j·s + v, c]';

export const DepthwiseConv2DLayer: LayerSpec<DepthwiseConv2DParams> = {
  ...oneInputKind('DepthwiseConv2D', 'Convolution'),
  help: {
    summary:
      'Filters each input channel with its own learned window (depthMultiplier of them per channel); channels are never mixed.',
    equation: `y = act(b + d),  ${DEPTHWISE_EQUATION};  out channels = C·m`,
    whenToUse:
      'Mobile-sized image models (MobileNet): k² weights per channel instead of k²·C per filter. Follow it with a 1×1 Conv2D to mix channels, or use SeparableConv2D, which does both.',
  },
  params: paramsOf(['kernelSize', 'strides', 'padding', 'activation', 'useBias'], [DEPTH_MULTIPLIER]),
  examples: [
    { inputs: [[6, 6, 3]], params: {} },
    { inputs: [[7, 6, 2]], params: { kernelSize: [3, 2], strides: 2, padding: 'same', depthMultiplier: 2 } },
    {
      inputs: [[5, 5, 2]],
      params: { kernelSize: 2, activation: 'relu', useBias: false, depthMultiplier: 3 },
    },
  ],
  summarize: (p) => summarizeConv(p, 2, `×${p.depthMultiplier}`),
  inferShape: ([x], p) => {
    const channels = imageChannels('DepthwiseConv2D', x);
    return [...depthwiseSpatial('DepthwiseConv2D', x, p), channels * p.depthMultiplier];
  },
  countParams: ([x], p) => {
    const out = (x[2] ?? 0) * p.depthMultiplier;
    return taps(p) * out + (p.useBias ? out : 0);
  },
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.depthwiseConv2d({
      name,
      kernelSize: tuple(p.kernelSize, 2) as never,
      strides: tuple(p.strides, 2),
      padding: p.padding as 'valid' | 'same',
      depthMultiplier: p.depthMultiplier,
      activation: p.activation as never,
      useBias: p.useBias,
    }),
};

export const SeparableConv2DLayer: LayerSpec<SeparableConv2DParams> = {
  ...oneInputKind('SeparableConv2D', 'Convolution'),
  help: {
    summary:
      'A DepthwiseConv2D (one window per channel) followed by a 1×1 convolution that mixes the channels into the filters: Conv2D with far fewer weights.',
    equation: `y[i, j, f] = act(b_f + Σ_{c'} P[c', f] · d[i, j, c']),  ${DEPTHWISE_EQUATION}`,
    whenToUse:
      'Where a Conv2D is too big or slow (Xception, MobileNet-style blocks): k²·C·m + C·m·filters weights instead of k²·C·filters.',
  },
  params: paramsOf(
    ['filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias'],
    [DEPTH_MULTIPLIER],
  ),
  examples: [
    { inputs: [[6, 6, 3]], params: { filters: 4 } },
    {
      inputs: [[7, 5, 2]],
      params: { filters: 3, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 },
    },
    { inputs: [[5, 6, 2]], params: { filters: 2, kernelSize: [2, 3], activation: 'tanh', useBias: false } },
  ],
  summarize: (p) => summarizeConv(p, 2, p.filters),
  inferShape: ([x], p) => {
    imageChannels('SeparableConv2D', x);
    return [...depthwiseSpatial('SeparableConv2D', x, p), p.filters];
  },
  countParams: ([x], p) => {
    const mid = (x[2] ?? 0) * p.depthMultiplier;
    return taps(p) * mid + mid * p.filters + (p.useBias ? p.filters : 0);
  },
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.separableConv2d({
      name,
      filters: p.filters,
      kernelSize: tuple(p.kernelSize, 2),
      strides: tuple(p.strides, 2),
      padding: p.padding as 'valid' | 'same',
      depthMultiplier: p.depthMultiplier,
      activation: p.activation as never,
      useBias: p.useBias,
    }),
};
