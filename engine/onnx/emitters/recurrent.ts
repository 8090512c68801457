// SimpleRNN / LSTM / GRU as ONNX RNN / LSTM / GRU. tfjs keeps kernels as [features, gates·units]
// with gates in its own order (LSTM i,f,c,o; GRU z,r,h) and one bias per gate; ONNX wants
// [1, gates·units, features] in ITS order (LSTM i,o,f,c; GRU z,r,h) and separate input/recurrent
// biases. tfjs' GRU applies the reset gate before the recurrent product, which is ONNX's
// linear_before_reset = 0. ONNX RNN ops read [time, batch, features]: the input is taken time-major,
// and a returnSequences output stays time-major so stacked RNNs need no transposes between them.
import type { RecurrentParams } from '../../layers/recurrent.ts';
import {
  floats,
  type EmitContext,
  type OnnxEmitter,
  type OnnxValue,
  type WeightTensor,
} from '../emitter-types.ts';
import { identityPerm, timeMajorPerm } from '../layout.ts';
import { squeeze } from '../ops.ts';

type RecurrentKind = 'SimpleRNN' | 'LSTM' | 'GRU';

const OP: Record<RecurrentKind, string> = { SimpleRNN: 'RNN', LSTM: 'LSTM', GRU: 'GRU' };
/** For each ONNX gate, the index of the same gate in tfjs' layout. */
const GATE_FROM_TFJS: Record<RecurrentKind, number[]> = {
  SimpleRNN: [0],
  LSTM: [0, 3, 1, 2],
  GRU: [0, 1, 2],
};

/** ONNX's RNN activation names (and their alpha/beta), from tfjs activation names. */
const RNN_ACTIVATIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  relu: { name: 'Relu' },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  elu: { name: 'Elu', alpha: 1 },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
};

/** Rows of the tfjs matrix [rows, gates·units] → ONNX [gates·units, rows] with gates reordered. */
function gateMajor(w: WeightTensor, gateOrder: number[], units: number): Float32Array {
  const rows = w.shape[0];
  const cols = w.shape[1];
  const out = new Float32Array(w.data.length);
  gateOrder.forEach((tfGate, onnxGate) => {
    for (let u = 0; u < units; u++) {
      const srcCol = tfGate * units + u;
      const dstRow = onnxGate * units + u;
      for (let r = 0; r < rows; r++) out[dstRow * rows + r] = w.data[r * cols + srcCol];
    }
  });
  return out;
}

function activationList(kind: RecurrentKind, activation: string): string[] {
  // LSTM/GRU gates use sigmoid: the layer specs pin tfjs' recurrentActivation to it.
  if (kind === 'LSTM') return ['sigmoid', activation, activation];
  if (kind === 'GRU') return ['sigmoid', activation];
  return [activation];
}

export function recurrentOnnx(kind: RecurrentKind): OnnxEmitter<RecurrentParams> {
  return {
    check: ({ params }) =>
      RNN_ACTIVATIONS[params.activation]
        ? []
        : [
            `ONNX's ${OP[kind]} op has no "${params.activation}" activation; use one of ${Object.keys(RNN_ACTIVATIONS).join(', ')}`,
          ],
    emit(ctx: EmitContext<RecurrentParams>): OnnxValue {
      const { units, returnSequences, activation } = ctx.params;
      const order = GATE_FROM_TFJS[kind];
      const gates = order.length;
      const features = ctx.inputShapes[0][1] as number;
      const x = ctx.input(0, timeMajorPerm());
      const w = ctx.floatConst('W', gateMajor(ctx.weight('kernel'), order, units), [
        1,
        gates * units,
        features,
      ]);
      const r = ctx.floatConst('R', gateMajor(ctx.weight('recurrent_kernel'), order, units), [
        1,
        gates * units,
        units,
      ]);
      const bias = new Float32Array(2 * gates * units); // [Wb, Rb]; tfjs has one bias per gate, kept in Wb
      if (ctx.hasWeight('bias')) {
        const tfBias = ctx.weight('bias').data;
        order.forEach((tfGate, onnxGate) =>
          bias.set(tfBias.subarray(tfGate * units, (tfGate + 1) * units), onnxGate * units),
        );
      }
      const b = ctx.floatConst('B', bias, [1, 2 * gates * units]);

      const fns = activationList(kind, activation).map((a) => RNN_ACTIVATIONS[a]);
      // activation_alpha/beta are consumed in order by the functions that take them.
      const alphas = fns.filter((f) => f.alpha !== undefined).map((f) => f.alpha as number);
      const betas = fns.filter((f) => f.beta !== undefined).map((f) => f.beta as number);
      const [seq, last] = ctx.node(
        OP[kind],
        [x, w, r, b],
        {
          hidden_size: units,
          activations: fns.map((f) => f.name),
          activation_alpha: alphas.length ? floats(alphas) : undefined,
          activation_beta: betas.length ? floats(betas) : undefined,
          linear_before_reset: kind === 'GRU' ? 0 : undefined,
        },
        2,
      );
      // Y is [time, 1, batch, units]; Y_h is [1, batch, units].
      if (returnSequences) return { name: squeeze(ctx, seq, [1]), perm: timeMajorPerm() };
      return { name: squeeze(ctx, last, [0]), perm: identityPerm(2) };
    },
  };
}
