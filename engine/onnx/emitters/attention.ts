// MultiHeadAttention and PositionalEmbedding as plain ONNX ops (MatMul, Softmax, Transpose…), the
// same computation as their tfjs custom layers (engine/layers/attention-tfjs.ts), in the tfjs layout.
import type { MultiHeadAttentionParams } from '../../layers/multi-head-attention.ts';
import type { PositionalEmbeddingParams } from '../../layers/positional-embedding.ts';
import { causalMask, sinusoidTable } from '../../layers/attention-tfjs.ts';
import type { EmitContext, OnnxEmitter } from '../emitter-types.ts';

/** [batch, time, in] → [batch, heads, time, depth] (`keyFirst`: [batch, heads, depth, time]). */
function project(
  ctx: EmitContext<MultiHeadAttentionParams>,
  input: number,
  part: string,
  depth: number,
  keyFirst = false,
): string {
  const h = ctx.params.numHeads;
  const kernel = ctx.weight(`${part}_kernel`);
  const x = ctx.input(input);
  let y = ctx.op('MatMul', [x, ctx.floatConst(`${part}_kernel`, kernel.data, [kernel.shape[0], h * depth])]);
  if (ctx.params.useBias)
    y = ctx.op('Add', [y, ctx.floatConst(`${part}_bias`, ctx.weight(`${part}_bias`).data, [h * depth])]);
  const split = ctx.op('Reshape', [y, ctx.intConst(`${part}_heads`, [0, 0, h, depth])]);
  return ctx.op('Transpose', [split], { perm: keyFirst ? [0, 2, 3, 1] : [0, 2, 1, 3] });
}

export const multiHeadAttentionOnnx: OnnxEmitter<MultiHeadAttentionParams> = {
  check({ params, inputShapes }) {
    return params.causal && (inputShapes[0][0] === null || inputShapes[1][0] === null)
      ? [
          'a causal MultiHeadAttention exports with fixed query and key lengths only; give the Input a fixed number of timesteps',
        ]
      : [];
  },
  emit(ctx) {
    const { numHeads: h, keyDim, causal } = ctx.params;
    const depthV = ctx.params.valueDim || keyDim;
    const dq = ctx.inputShapes[0][1] as number;
    const q = ctx.op('Mul', [
      project(ctx, 0, 'query', keyDim),
      ctx.floatConst('scale', [1 / Math.sqrt(keyDim)], []),
    ]);
    const kT = project(ctx, 1, 'key', keyDim, true);
    const v = project(ctx, ctx.inputShapes.length > 2 ? 2 : 1, 'value', depthV);
    let scores = ctx.op('MatMul', [q, kT]); // [batch, heads, tq, tk]
    if (causal) {
      const [tq, tk] = [ctx.inputShapes[0][0] as number, ctx.inputShapes[1][0] as number];
      scores = ctx.op('Add', [scores, ctx.floatConst('causal_mask', causalMask(tq, tk), [tq, tk])]);
    }
    const weights = ctx.op('Softmax', [scores], { axis: 3 });
    const heads = ctx.op('Transpose', [ctx.op('MatMul', [weights, v])], { perm: [0, 2, 1, 3] });
    const merged = ctx.op('Reshape', [heads, ctx.intConst('merge_heads', [0, 0, h * depthV])]);
    const out = ctx.weight('output_kernel');
    let y = ctx.op('MatMul', [merged, ctx.floatConst('output_kernel', out.data, [h * depthV, dq])]);
    if (ctx.params.useBias)
      y = ctx.op('Add', [y, ctx.floatConst('output_bias', ctx.weight('output_bias').data, [dq])]);
    return y;
  },
};

export const positionalEmbeddingOnnx: OnnxEmitter<PositionalEmbeddingParams> = {
  // The shape rule requires a fixed number of timesteps, so the table slice is a constant.
  emit(ctx) {
    const [t, d] = ctx.inputShapes[0] as number[];
    const table =
      ctx.params.mode === 'learned'
        ? ctx.weight('embeddings').data
        : sinusoidTable(ctx.params.sequenceLength, d);
    const positions = ctx.floatConst('positions', table.subarray(0, t * d), [t, d]);
    return ctx.op('Add', [ctx.input(0), positions]);
  },
};
