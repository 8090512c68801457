// Emitters for the activation layers with settings. All but PReLU are element-wise or per axis, so
// they run in whatever layout their input is stored in; PReLU's slopes are stored in tfjs' order.
import type {
  ELUParams,
  LeakyReLUParams,
  PReLUParams,
  ReLUParams,
  SoftmaxParams,
} from '../../layers/activation-layers.ts';
import { float, type EmitContext, type OnnxEmitter, type OnnxValue } from '../emitter-types.ts';
import { storedAxis } from '../layout.ts';

/** One op on the input as stored, with the same layout out. */
const inPlace = <P extends LeakyReLUParams | ELUParams | ReLUParams | SoftmaxParams>(
  apply: (ctx: EmitContext<P>, x: OnnxValue) => string,
): OnnxEmitter<P> => ({
  emit(ctx) {
    const x = ctx.storedInput(0);
    return { name: apply(ctx, x), perm: x.perm };
  },
});

export const leakyReluOnnx = inPlace<LeakyReLUParams>((ctx, x) =>
  ctx.op('LeakyRelu', [x.name], { alpha: float(ctx.params.alpha) }),
);

export const eluOnnx = inPlace<ELUParams>((ctx, x) =>
  ctx.op('Elu', [x.name], { alpha: float(ctx.params.alpha) }),
);

export const reluOnnx = inPlace<ReLUParams>((ctx, x) => {
  const { maxValue, negativeSlope, threshold } = ctx.params;
  const scalar = (label: string, v: number) => ctx.floatConst(label, [v], []);
  if (negativeSlope === 0 && threshold === 0) {
    if (maxValue === null) return ctx.op('Relu', [x.name]);
    return ctx.op('Clip', [x.name, scalar('zero', 0), scalar('max_value', maxValue)]);
  }
  const t = scalar('threshold', threshold);
  const capped = maxValue === null ? x.name : ctx.op('Min', [x.name, scalar('max_value', maxValue)]);
  const below = ctx.op('Mul', [ctx.op('Sub', [x.name, t]), scalar('negative_slope', negativeSlope)]);
  return ctx.op('Where', [ctx.op('Greater', [x.name, t]), capped, below]);
});

export const softmaxOnnx = inPlace<SoftmaxParams>((ctx, x) =>
  ctx.op('Softmax', [x.name], { axis: storedAxis(x.perm, ctx.params.axis) }),
);

/** PReLU: ONNX PRelu broadcasts the slopes from the right, so the input is taken in tfjs' layout. */
export const preluOnnx: OnnxEmitter<PReLUParams> = {
  emit(ctx) {
    const alpha = ctx.weight('alpha');
    return ctx.op('PRelu', [ctx.input(0), ctx.floatConst('alpha', alpha.data, alpha.shape)]);
  },
};
