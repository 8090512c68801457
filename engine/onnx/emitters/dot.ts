// Dot as one Einsum over the inputs in tfjs' layout (batch axis b), each first L2-normalised along
// its axis when `normalize` is set, as tfjs does: x / sqrt(max(Σx², 1e-7)).
import { dotAxes, dotEquation, type DotParams } from '../../layers/dot.ts';
import type { EmitContext, OnnxEmitter } from '../emitter-types.ts';

/** tfjs' epsilon in l2Normalize. */
const EPSILON = 1e-7;

function l2Normalize(ctx: EmitContext<DotParams>, x: string, axis: number): string {
  const sumSquares = ctx.op('ReduceSum', [ctx.op('Mul', [x, x]), ctx.intConst('axis', [axis])], {
    keepdims: 1,
  });
  const norm = ctx.op('Sqrt', [ctx.op('Max', [sumSquares, ctx.floatConst('epsilon', [EPSILON], [])])]);
  return ctx.op('Div', [x, norm]);
}

export const dotOnnx: OnnxEmitter<DotParams> = {
  emit(ctx) {
    const axes = dotAxes(ctx.params);
    const xs = axes.map((axis, i) => {
      const x = ctx.input(i);
      return ctx.params.normalize ? l2Normalize(ctx, x, axis + 1) : x;
    });
    const ranks = ctx.inputShapes.map((s) => s.length) as [number, number];
    const y = ctx.op('Einsum', xs, { equation: dotEquation(ranks, axes) });
    return ranks[0] + ranks[1] === 2 ? ctx.op('Unsqueeze', [y, ctx.intConst('axes', [1])]) : y;
  },
};
