// Conv2DTranspose as ConvTranspose, DepthwiseConv2D as a Conv with one group per input channel, and
// SeparableConv2D as that grouped Conv followed by a 1×1 Conv; all channels-first, as Conv2D.
import type {
  Conv2DTransposeParams,
  DepthwiseConv2DParams,
  SeparableConv2DParams,
} from '../../layers/conv-variants.ts';
import { tuple } from '../../layers/params.ts';
import { emitActivation } from '../activations.ts';
import { activationCheck } from './core.ts';
import type { EmitContext, OnnxEmitter } from '../emitter-types.ts';
import { channelsFirstPerm } from '../layout.ts';
import { windowPadding } from '../padding.ts';
import { kernelToOnnx } from './spatial.ts';

const NCHW = channelsFirstPerm(4);

/**
 * tfjs's transposed convolution is the input gradient of a convolution over an output of in·s
 * (+ the overhang for 'valid'): its pads are that convolution's 'same' pads, which do not depend on
 * the size, and output_padding adds the rows no window reaches when the kernel is shorter than the
 * stride.
 */
export function transposePads(p: Pick<Conv2DTransposeParams, 'kernelSize' | 'strides' | 'padding'>): {
  pads: number[];
  output_padding: number[];
} {
  const k = tuple(p.kernelSize, 2);
  const s = tuple(p.strides, 2);
  const totals = k.map((ki, i) => (p.padding === 'same' ? Math.max(ki - s[i], 0) : 0));
  const begins = totals.map((t) => Math.floor(t / 2));
  return {
    pads: [...begins, ...totals.map((t, i) => t - begins[i])],
    output_padding: k.map((ki, i) => Math.max(s[i] - ki, 0)),
  };
}

export const conv2dTransposeOnnx: OnnxEmitter<Conv2DTransposeParams> = {
  check: activationCheck,
  emit(ctx) {
    const p = ctx.params;
    // tfjs [kh, kw, filters, in] → ONNX [in, filters, kh, kw]: kernelToOnnx's swap of the last two.
    const kernel = kernelToOnnx(ctx.weight('kernel'));
    const w = ctx.floatConst('kernel', kernel.data, kernel.dims);
    const b = p.useBias ? ctx.floatConst('bias', ctx.weight('bias').data, [p.filters]) : null;
    const x = ctx.input(0, NCHW);
    const y = ctx.op('ConvTranspose', b ? [x, w, b] : [x, w], {
      kernel_shape: tuple(p.kernelSize, 2),
      strides: tuple(p.strides, 2),
      ...transposePads(p),
    });
    return { name: emitActivation(ctx, y, p.activation, 1), perm: NCHW };
  },
};

/** The depthwise step: Conv with group = channels, weights [channels·m, 1, kh, kw]. */
function depthwise(
  ctx: EmitContext<DepthwiseConv2DParams | SeparableConv2DParams>,
  weightName: string,
  bias: string | null,
): string {
  const p = ctx.params;
  const channels = ctx.inputShapes[0][2] as number;
  const w = ctx.weight(weightName);
  // [kh, kw, C, m] read as [kh, kw, 1, C·m]: output channel c·m + k comes from input channel c.
  const kernel = kernelToOnnx({
    shape: [w.shape[0], w.shape[1], 1, channels * p.depthMultiplier],
    data: w.data,
  });
  const kernelShape = tuple(p.kernelSize, 2);
  const strides = tuple(p.strides, 2);
  const x = ctx.input(0, NCHW);
  const weights = ctx.floatConst(weightName, kernel.data, kernel.dims);
  return ctx.op('Conv', bias ? [x, weights, bias] : [x, weights], {
    kernel_shape: kernelShape,
    strides,
    group: channels,
    ...windowPadding(p.padding, ctx.inputShapes[0].slice(0, 2), { kernel: kernelShape, strides }),
  });
}

const biasOf = (ctx: EmitContext<{ useBias: boolean }>, size: number) =>
  ctx.params.useBias ? ctx.floatConst('bias', ctx.weight('bias').data, [size]) : null;

export const depthwiseConv2dOnnx: OnnxEmitter<DepthwiseConv2DParams> = {
  check: activationCheck,
  emit(ctx) {
    const channels = ctx.outputShape[2] as number;
    const y = depthwise(ctx, 'depthwise_kernel', biasOf(ctx, channels));
    return { name: emitActivation(ctx, y, ctx.params.activation, 1), perm: NCHW };
  },
};

export const separableConv2dOnnx: OnnxEmitter<SeparableConv2DParams> = {
  check: activationCheck,
  emit(ctx) {
    const mid = depthwise(ctx, 'depthwise_kernel', null);
    const pointwise = kernelToOnnx(ctx.weight('pointwise_kernel'));
    const w = ctx.floatConst('pointwise_kernel', pointwise.data, pointwise.dims);
    const b = biasOf(ctx, ctx.params.filters);
    const y = ctx.op('Conv', b ? [mid, w, b] : [mid, w], { kernel_shape: [1, 1] });
    return { name: emitActivation(ctx, y, ctx.params.activation, 1), perm: NCHW };
  },
};
