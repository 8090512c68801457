// Small op helpers whose spelling depends on the opset.
import type { EmitContext } from './emitter-types.ts';

/** ReduceMean/ReduceMax over `axes`: axes became an input in opset 18 (ReduceSum in 13). */
export function reduce(
  ctx: EmitContext,
  op: 'ReduceMean' | 'ReduceMax',
  x: string,
  axes: number[],
  keepdims: 0 | 1,
): string {
  if (ctx.opset >= 18) return ctx.op(op, [x, ctx.intConst('axes', axes)], { keepdims });
  return ctx.op(op, [x], { axes, keepdims });
}

export const squeeze = (ctx: EmitContext, x: string, axes: number[]): string =>
  ctx.op('Squeeze', [x, ctx.intConst('axes', axes)]);
