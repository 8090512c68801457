// BatchNormalization (inference: the moving statistics) and LayerNormalization.
import type { BatchNormParams, LayerNormParams } from '../../layers/normalization.ts';
import { float, type EmitContext, type OnnxEmitter, type OnnxValue } from '../emitter-types.ts';
import { identityPerm } from '../layout.ts';
import { reduce } from '../ops.ts';

function channelWeight(ctx: EmitContext, name: string, fallback: number, channels: number): Float32Array {
  return ctx.hasWeight(name) ? ctx.weight(name).data : new Float32Array(channels).fill(fallback);
}

/**
 * Channels at stored axis 1 (after a conv, or a [batch, features] input): the BatchNormalization op.
 * Channels on the stored last axis (a sequence, a Dense output): the same affine map as Mul + Add,
 * which needs no transposes.
 */
export const batchNormOnnx: OnnxEmitter<BatchNormParams> = {
  emit(ctx): OnnxValue {
    const stored = ctx.storedInput(0);
    const full = stored.perm.length;
    const channels = ctx.outputShape[ctx.outputShape.length - 1] as number;
    const gamma = channelWeight(ctx, 'gamma', 1, channels);
    const beta = channelWeight(ctx, 'beta', 0, channels);
    const mean = ctx.weight('moving_mean').data;
    const variance = ctx.weight('moving_variance').data;
    if (full === 2 || stored.perm[1] === full - 1) {
      const y = ctx.op(
        'BatchNormalization',
        [
          stored.name,
          ctx.floatConst('gamma', gamma, [channels]),
          ctx.floatConst('beta', beta, [channels]),
          ctx.floatConst('moving_mean', mean, [channels]),
          ctx.floatConst('moving_variance', variance, [channels]),
        ],
        { epsilon: float(ctx.params.epsilon) },
      );
      return { name: y, perm: stored.perm };
    }
    const scale = new Float32Array(channels);
    const shift = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const s = gamma[c] / Math.sqrt(variance[c] + ctx.params.epsilon);
      scale[c] = s;
      shift[c] = beta[c] - mean[c] * s;
    }
    const perm = stored.perm[full - 1] === full - 1 ? stored.perm : identityPerm(full);
    const x = ctx.input(0, perm);
    const y = ctx.op('Add', [
      ctx.op('Mul', [x, ctx.floatConst('scale', scale, [channels])]),
      ctx.floatConst('shift', shift, [channels]),
    ]);
    return { name: y, perm };
  },
};

/** LayerNormalization over the last axis: the opset-17 op, or its decomposition below opset 17. */
export const layerNormOnnx: OnnxEmitter<LayerNormParams> = {
  emit(ctx) {
    const x = ctx.input(0);
    const channels = ctx.outputShape[ctx.outputShape.length - 1] as number;
    const gamma = ctx.floatConst('gamma', channelWeight(ctx, 'gamma', 1, channels), [channels]);
    const beta = ctx.floatConst('beta', channelWeight(ctx, 'beta', 0, channels), [channels]);
    if (ctx.opset >= 17) {
      return ctx.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: float(ctx.params.epsilon) });
    }
    const mean = reduce(ctx, 'ReduceMean', x, [-1], 1);
    const centred = ctx.op('Sub', [x, mean]);
    const variance = reduce(ctx, 'ReduceMean', ctx.op('Mul', [centred, centred]), [-1], 1);
    const std = ctx.op('Sqrt', [
      ctx.op('Add', [variance, ctx.floatConst('epsilon', [ctx.params.epsilon], [])]),
    ]);
    return ctx.op('Add', [ctx.op('Mul', [ctx.op('Div', [centred, std]), gamma]), beta]);
  },
};
