// Emitters for the core layers: Dense, Activation, Dropout (and other inference-time identities).
import type { DenseParams } from '../../layers/dense.ts';
import { activationProblem, emitActivation } from '../activations.ts';
import type { OnnxEmitter } from '../emitter-types.ts';
import { storedAxis } from '../layout.ts';

export const activationCheck = ({ params }: { params: { activation: string } }): string[] => {
  const problem = activationProblem(params.activation);
  return problem ? [problem] : [];
};

/** Dense: Gemm on [batch, features]; MatMul + Add on the last axis of higher-rank inputs. */
export const denseOnnx: OnnxEmitter<DenseParams> = {
  check: activationCheck,
  emit(ctx) {
    const x = ctx.input(0);
    const kernel = ctx.weight('kernel');
    const w = ctx.floatConst('kernel', kernel.data, kernel.shape);
    const b = ctx.params.useBias ? ctx.floatConst('bias', ctx.weight('bias').data, [ctx.params.units]) : null;
    let y: string;
    if (ctx.inputShapes[0].length === 1) {
      y = ctx.op('Gemm', b ? [x, w, b] : [x, w]);
    } else {
      y = ctx.op('MatMul', [x, w]);
      if (b) y = ctx.op('Add', [y, b]);
    }
    return emitActivation(ctx, y, ctx.params.activation);
  },
};

/** Activation: element-wise, so it runs in whatever layout its input is stored (no transposes). */
export const activationOnnx: OnnxEmitter<{ activation: string }> = {
  check: activationCheck,
  emit(ctx) {
    const x = ctx.storedInput(0);
    return { name: emitActivation(ctx, x.name, ctx.params.activation, storedAxis(x.perm, -1)), perm: x.perm };
  },
};

/** Layers that are the identity at inference (Dropout and its relatives): no ONNX node at all. */
export const inferenceIdentityOnnx: OnnxEmitter = {
  emit: (ctx) => ctx.storedInput(0),
};
