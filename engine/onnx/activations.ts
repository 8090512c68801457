// Element-wise activations as ONNX ops, matching tfjs' definitions (tfjs-layers activations.ts).
import { float, type EmitContext } from './emitter-types.ts';

// tfjs' selu constants (the float32 roundings are ONNX's defaults too).
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

type ActivationEmit = (ctx: EmitContext, x: string, channelAxis: number) => string;

const ACTIVATION_OPS: Record<string, ActivationEmit> = {
  linear: (_ctx, x) => x,
  relu: (ctx, x) => ctx.op('Relu', [x]),
  relu6: (ctx, x) => ctx.op('Clip', [x, ctx.floatConst('zero', [0], []), ctx.floatConst('six', [6], [])]),
  sigmoid: (ctx, x) => ctx.op('Sigmoid', [x]),
  hardSigmoid: (ctx, x) => ctx.op('HardSigmoid', [x], { alpha: float(0.2), beta: float(0.5) }),
  tanh: (ctx, x) => ctx.op('Tanh', [x]),
  softmax: (ctx, x, channelAxis) => ctx.op('Softmax', [x], { axis: channelAxis }),
  elu: (ctx, x) => ctx.op('Elu', [x], { alpha: float(1) }),
  selu: (ctx, x) => ctx.op('Selu', [x], { alpha: float(SELU_ALPHA), gamma: float(SELU_SCALE) }),
  softplus: (ctx, x) => ctx.op('Softplus', [x]),
  softsign: (ctx, x) => ctx.op('Softsign', [x]),
  swish: (ctx, x) => ctx.op('Mul', [x, ctx.op('Sigmoid', [x])]),
  mish: (ctx, x) => ctx.op('Mul', [x, ctx.op('Tanh', [ctx.op('Softplus', [x])])]),
};

export const isExportableActivation = (name: string): boolean => name in ACTIVATION_OPS;

/** A sentence for the pre-flight report, or null when the activation exports. */
export function activationProblem(name: string): string | null {
  return isExportableActivation(name)
    ? null
    : `the activation "${name}" has no ONNX equivalent in Netwright yet`;
}

/**
 * Apply `activation` to `x`. `channelAxis` is the stored axis of tfjs' last axis (softmax normalises
 * over it).
 */
export function emitActivation(ctx: EmitContext, x: string, activation: string, channelAxis = -1): string {
  const emit = ACTIVATION_OPS[activation];
  if (!emit) throw new Error(`${ctx.nodeId}: ${activationProblem(activation)}.`);
  return emit(ctx, x, channelAxis);
}
