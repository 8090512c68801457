// ZeroPadding1D/2D and Cropping1D/2D on the spatial axes of a channels-first input (where a conv or
// pool before it left it), so no Transpose is added between them. Cropping is one Slice. Padding is
// a Concat with zeros rather than a Pad: onnxruntime folds a zero Pad into a following MaxPool's
// `pads`, which pad with −∞, so ZeroPadding → MaxPooling would compute something else there.
import {
  edgePairs,
  type CroppingParams,
  type EdgeRank,
  type PaddingParams,
} from '../../layers/padding-cropping.ts';
import type { EmitContext, OnnxEmitter } from '../emitter-types.ts';
import { channelsFirstPerm } from '../layout.ts';

/** `x` with `before` and `after` zeros on ONNX axis `axis`: zero blocks broadcast to x's other sizes. */
function padAxis(
  ctx: EmitContext,
  x: string,
  rank: number,
  axis: number,
  before: number,
  after: number,
): string {
  const oneStep = ctx.op('Slice', [
    x,
    ctx.intConst('first', [0]),
    ctx.intConst('end', [1]),
    ctx.intConst('axis', [axis]),
  ]);
  const sizes = ctx.op('Shape', [oneStep]);
  const zeros = (k: number) => {
    const dims = Array.from({ length: rank }, (_, i) => (i === axis ? k : 1));
    return ctx.op('Expand', [ctx.floatConst('zeros', new Float32Array(k), dims), sizes]);
  };
  const parts = [...(before ? [zeros(before)] : []), x, ...(after ? [zeros(after)] : [])];
  return ctx.op('Concat', parts, { axis });
}

export function zeroPaddingOnnx(rank: EdgeRank): OnnxEmitter<PaddingParams> {
  const cf = channelsFirstPerm(rank + 2);
  return {
    emit(ctx) {
      let x = ctx.input(0, cf);
      edgePairs(rank, ctx.params).forEach(([before, after], i) => {
        if (before || after) x = padAxis(ctx, x, rank + 2, i + 2, before, after);
      });
      return { name: x, perm: cf };
    },
  };
}

export function croppingOnnx(rank: EdgeRank): OnnxEmitter<CroppingParams> {
  const cf = channelsFirstPerm(rank + 2);
  return {
    emit(ctx) {
      const pairs = edgePairs(rank, ctx.params);
      // A crop of 0 ends at the last step: Slice clamps an end past the axis.
      const end = (k: number) => (k ? -k : Number.MAX_SAFE_INTEGER);
      const inputs = [
        ctx.input(0, cf),
        ctx.intConst(
          'starts',
          pairs.map(([b]) => b),
        ),
        ctx.intConst(
          'ends',
          pairs.map(([, a]) => end(a)),
        ),
        ctx.intConst(
          'axes',
          pairs.map((_, i) => i + 2),
        ),
      ];
      return { name: ctx.op('Slice', inputs), perm: cf };
    },
  };
}
