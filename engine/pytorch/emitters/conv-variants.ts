// Conv2DTranspose as nn.ConvTranspose2d, DepthwiseConv2D as nn.Conv2d with groups = channels,
// SeparableConv2D as that grouped conv then a 1×1 nn.Conv2d, and UpSampling1D/2D; all channels-first.
import type {
  Conv2DTransposeParams,
  DepthwiseConv2DParams,
  SeparableConv2DParams,
} from '../../layers/conv-variants.ts';
import type { UpSampling1DParams, UpSampling2DParams } from '../../layers/upsampling.ts';
import type { TensorData } from '../../data/types.ts';
import type { Params } from '../../layers/types.ts';
import type { TorchModule, TorchNode } from '../emitter-types.ts';
import { registerTorch } from '../registry.ts';
import { applyActivation, kwargs } from '../python.ts';
import { inversePerm, permute } from '../tensors.ts';
import { activationProblem, tupleOf, weight } from './common.ts';
import { arg, kernelAndBias, needsSamePad, samePadModule, windowOf } from './spatial.ts';

/** tfjs [kh, kw, a, b] ↔ torch [b, a, kh, kw], for Conv2d and ConvTranspose2d kernels alike. */
const KERNEL_PERM = [3, 2, 0, 1];

const toTorchKernel = (w: TensorData, shape = w.shape) => permute({ data: w.data, shape }, KERNEL_PERM);
const toTfjsKernel = (w: TensorData, shape?: number[]) => {
  const back = permute(w, inversePerm(KERNEL_PERM));
  return shape ? { data: back.data, shape } : back;
};

const activate = (n: TorchNode<Params>, expr: string) =>
  applyActivation(String(n.params.activation ?? 'linear'), expr, 1);

/** Per axis, the rows tfjs's transposed convolution drops at the start and end ('same' only). */
function transposeCrop(p: Conv2DTransposeParams): { begin: number[]; end: number[] } {
  const k = tupleOf(p.kernelSize, 2);
  const s = tupleOf(p.strides, 2);
  const totals = k.map((ki, i) => (p.padding === 'same' ? Math.max(ki - s[i], 0) : 0));
  const begin = totals.map((t) => Math.floor(t / 2));
  return { begin, end: totals.map((t, i) => t - begin[i]) };
}

const symmetric = (c: { begin: number[]; end: number[] }) => c.begin.every((b, i) => b === c.end[i]);

registerTorch<Conv2DTransposeParams>('Conv2DTranspose', {
  check: activationProblem,
  inputLayout: () => 'cf',
  modules: (n) => {
    const p = n.params;
    const k = tupleOf(p.kernelSize, 2);
    const s = tupleOf(p.strides, 2);
    const crop = transposeCrop(p);
    // output_padding: the rows no window reaches when the kernel is shorter than the stride.
    const outputPadding = k.map((ki, i) => Math.max(s[i] - ki, 0));
    const args = kwargs({
      kernel_size: arg(k),
      stride: s.some((v) => v > 1) ? arg(s) : undefined,
      padding: symmetric(crop) && crop.begin.some((b) => b > 0) ? arg(crop.begin) : undefined,
      output_padding: outputPadding.some((o) => o > 0) ? arg(outputPadding) : undefined,
      bias: p.useBias === false ? false : undefined,
    });
    return [{ name: n.attr, init: `nn.ConvTranspose2d(${n.inputShapes[0][2]}, ${p.filters}, ${args})` }];
  },
  forward: (n, [x]) => {
    const crop = transposeCrop(n.params);
    let y = `self.${n.attr}(${x})`;
    if (!symmetric(crop)) {
      // TensorFlow puts the odd row at the end: crop what PyTorch's symmetric padding can't.
      const axis = (i: number) => `${crop.begin[i] || ''}:${crop.end[i] ? -crop.end[i] : ''}`;
      y = `${y}[:, :, ${axis(0)}, ${axis(1)}]`;
    }
    return { expr: activate(n, y) };
  },
  // tfjs [kh, kw, filters, in] ↔ torch [in, filters, kh, kw]: Conv2D's permutation.
  ...kernelAndBias(KERNEL_PERM),
});

type Depthwise = DepthwiseConv2DParams | SeparableConv2DParams;

/** The grouped convolution of the depthwise step (and its SamePad when TensorFlow pads unevenly). */
function depthwiseModules(n: TorchNode<Depthwise>, name: string, bias: boolean): TorchModule[] {
  const w = windowOf(n, 2, 'kernelSize', 'strides');
  const channels = n.inputShapes[0][2] as number;
  const args = kwargs({
    kernel_size: arg(w.kernel),
    stride: w.stride.some((v) => v > 1) ? arg(w.stride) : undefined,
    padding: w.padding && w.padding.some((v) => v > 0) ? arg(w.padding) : undefined,
    groups: channels,
    bias: bias ? undefined : false,
  });
  const conv = { name, init: `nn.Conv2d(${channels}, ${channels * n.params.depthMultiplier}, ${args})` };
  return needsSamePad(w) ? [samePadModule(n, w), conv] : [conv];
}

function depthwiseForward(n: TorchNode<Depthwise>, name: string, x: string): string {
  const padded = needsSamePad(windowOf(n, 2, 'kernelSize', 'strides')) ? `self.${n.attr}_pad(${x})` : x;
  return `self.${name}(${padded})`;
}

/** tfjs [kh, kw, C, m] read as [kh, kw, 1, C·m]: torch's grouped weight [C·m, 1, kh, kw]. */
const depthwiseToTorch = (w: TensorData) =>
  toTorchKernel(w, [w.shape[0], w.shape[1], 1, w.shape[2] * w.shape[3]]);

function depthwiseToTfjs(n: TorchNode<Depthwise>, w: TensorData): TensorData {
  const channels = n.inputShapes[0][2] as number;
  return toTfjsKernel(w, [w.shape[2], w.shape[3], channels, n.params.depthMultiplier]);
}

registerTorch<DepthwiseConv2DParams>('DepthwiseConv2D', {
  check: activationProblem,
  inputLayout: () => 'cf',
  modules: (n) => depthwiseModules(n, n.attr, n.params.useBias !== false),
  forward: (n, [x]) => ({ expr: activate(n, depthwiseForward(n, n.attr, x)) }),
  toTorch: (n, weights) => {
    const out = new Map([[`${n.attr}.weight`, depthwiseToTorch(weight(weights, 'depthwise_kernel', n))]]);
    if (weights.has('bias')) out.set(`${n.attr}.bias`, weights.get('bias')!);
    return out;
  },
  toTfjs: (n, state) => {
    const out = new Map([['depthwise_kernel', depthwiseToTfjs(n, state(`${n.attr}.weight`))]]);
    if (n.params.useBias !== false) out.set('bias', state(`${n.attr}.bias`));
    return out;
  },
});

registerTorch<SeparableConv2DParams>('SeparableConv2D', {
  check: activationProblem,
  inputLayout: () => 'cf',
  modules: (n) => {
    const mid = (n.inputShapes[0][2] as number) * n.params.depthMultiplier;
    const bias = n.params.useBias === false ? ', bias=False' : '';
    return [
      ...depthwiseModules(n, `${n.attr}_depthwise`, false),
      { name: n.attr, init: `nn.Conv2d(${mid}, ${n.params.filters}, 1${bias})` },
    ];
  },
  forward: (n, [x]) => ({
    expr: activate(n, `self.${n.attr}(${depthwiseForward(n, `${n.attr}_depthwise`, x)})`),
  }),
  toTorch: (n, weights) => {
    const out = new Map([
      [`${n.attr}_depthwise.weight`, depthwiseToTorch(weight(weights, 'depthwise_kernel', n))],
      [`${n.attr}.weight`, toTorchKernel(weight(weights, 'pointwise_kernel', n))],
    ]);
    if (weights.has('bias')) out.set(`${n.attr}.bias`, weights.get('bias')!);
    return out;
  },
  toTfjs: (n, state) => {
    const out = new Map([
      ['depthwise_kernel', depthwiseToTfjs(n, state(`${n.attr}_depthwise.weight`))],
      ['pointwise_kernel', toTfjsKernel(state(`${n.attr}.weight`))],
    ]);
    if (n.params.useBias !== false) out.set('bias', state(`${n.attr}.bias`));
    return out;
  },
});

registerTorch<UpSampling1DParams>('UpSampling1D', {
  inputLayout: () => 'keep',
  forward: (n, [x], layout) => ({
    expr: `${x}.repeat_interleave(${n.params.size}, dim=${layout === 'cf' ? 2 : 1})`,
  }),
});

registerTorch<UpSampling2DParams>('UpSampling2D', {
  inputLayout: () => 'cf',
  modules: (n) =>
    n.params.interpolation === 'bilinear'
      ? [{ name: n.attr, init: `TfBilinearUpsample(${JSON.stringify(tupleOf(n.params.size, 2))})` }]
      : [],
  forward: (n, [x]) => {
    if (n.params.interpolation === 'bilinear') return { expr: `self.${n.attr}(${x})` };
    // Repeats, exactly: F.interpolate's 'nearest' multiplies by a rounded 1 / scale.
    const [h, w] = tupleOf(n.params.size, 2);
    return { expr: `${x}.repeat_interleave(${h}, dim=2).repeat_interleave(${w}, dim=3)` };
  },
});
