// Emitters for the activation layers with settings (LeakyReLU…): element-wise, so each runs in
// whatever layout its input is stored in.
import type { LeakyReLUParams } from '../../layers/activation-layers.ts';
import { float, type OnnxEmitter } from '../emitter-types.ts';

export const leakyReluOnnx: OnnxEmitter<LeakyReLUParams> = {
  emit(ctx) {
    const x = ctx.storedInput(0);
    return { name: ctx.op('LeakyRelu', [x.name], { alpha: float(ctx.params.alpha) }), perm: x.perm };
  },
};
