// Emitters that move values around: Flatten and Reshape (in tfjs' NHWC element order, so their input
// is taken in the tfjs layout), Embedding (a Gather), and the merges.
import type { ConcatenateParams } from '../../layers/merge.ts';
import type { EmbeddingParams } from '../../layers/embedding.ts';
import type { ReshapeParams } from '../../layers/reshape.ts';
import type { PermuteParams, RepeatVectorParams } from '../../layers/reorder.ts';
import type { OnnxEmitter, OnnxValue } from '../emitter-types.ts';
import { INT64 } from '../proto.ts';
import { storedAxis } from '../layout.ts';

export const flattenOnnx: OnnxEmitter = {
  emit: (ctx) => ctx.op('Flatten', [ctx.input(0)], { axis: 1 }),
};

export const reshapeOnnx: OnnxEmitter<ReshapeParams> = {
  // 0 copies the batch size; -1 (at most one) takes what is left, as in tfjs.
  emit: (ctx) => ctx.op('Reshape', [ctx.input(0), ctx.intConst('shape', [0, ...ctx.params.targetShape])]),
};

/** Output axis j is input axis dims[j]: a Transpose of the tfjs layout, the batch staying first. */
export const permuteOnnx: OnnxEmitter<PermuteParams> = {
  emit: (ctx) => ctx.op('Transpose', [ctx.input(0)], { perm: [0, ...ctx.params.dims] }),
};

/** [N, F] → [N, 1, F], broadcast to [N, n, F]. */
export const repeatVectorOnnx: OnnxEmitter<RepeatVectorParams> = {
  emit(ctx) {
    const x = ctx.op('Unsqueeze', [ctx.input(0), ctx.intConst('axes', [1])]);
    const features = ctx.inputShapes[0][0] as number;
    return ctx.op('Expand', [x, ctx.intConst('shape', [1, ctx.params.n, features])]);
  },
};

/** Token ids arrive as floats (as in tfjs, which casts them); Gather wants integers. */
export const embeddingOnnx: OnnxEmitter<EmbeddingParams> = {
  emit(ctx) {
    const table = ctx.weight('embeddings');
    const ids = ctx.op('Cast', [ctx.input(0)], { to: INT64 });
    return ctx.op('Gather', [ctx.floatConst('embeddings', table.data, table.shape), ids], { axis: 0 });
  },
};

/** All inputs in one layout: the first input's when it is shared, else each converted to it. */
function alignedInputs(ctx: Parameters<OnnxEmitter['emit']>[0]): { names: string[]; perm: number[] } {
  const first = ctx.storedInput(0);
  const names = ctx.inputShapes.map((_, i) => ctx.input(i, first.perm));
  return { names, perm: first.perm };
}

/** The variadic ONNX op of each element-wise merge; Multiply and Subtract chain binary ops. */
const VARIADIC = { add: 'Sum', average: 'Mean', maximum: 'Max', minimum: 'Min' } as const;
const BINARY = { multiply: 'Mul', subtract: 'Sub' } as const;

export function elementwiseMergeOnnx(kind: keyof typeof VARIADIC | keyof typeof BINARY): OnnxEmitter {
  return {
    emit(ctx): OnnxValue {
      const { names, perm } = alignedInputs(ctx);
      if (kind in VARIADIC) return { name: ctx.op(VARIADIC[kind as keyof typeof VARIADIC], names), perm };
      const op = BINARY[kind as keyof typeof BINARY];
      let y = names[0];
      for (const next of names.slice(1)) y = ctx.op(op, [y, next]);
      return { name: y, perm };
    },
  };
}

export const concatenateOnnx: OnnxEmitter<ConcatenateParams> = {
  emit(ctx): OnnxValue {
    const { names, perm } = alignedInputs(ctx);
    // Keras axes count the batch as 0; negative ones count from the end.
    return { name: ctx.op('Concat', names, { axis: storedAxis(perm, ctx.params.axis) }), perm };
  },
};
