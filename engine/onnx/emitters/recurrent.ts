// SimpleRNN / LSTM / GRU as ONNX RNN / LSTM / GRU. tfjs keeps kernels as [features, gates·units]
// with gates in its own order (LSTM i,f,c,o; GRU z,r,h) and one bias per gate; ONNX wants
// [1, gates·units, features] in ITS order (LSTM i,o,f,c; GRU z,r,h) and separate input/recurrent
// biases. tfjs' GRU applies the reset gate before the recurrent product, which is ONNX's
// linear_before_reset = 0. ONNX RNN ops read [time, batch, features]: the input is taken time-major,
// and a returnSequences output stays time-major so stacked RNNs need no transposes between them.
// Bidirectional is the same op with direction = bidirectional, each direction's weights stacked.
import type { RecurrentParams } from '../../layers/recurrent.ts';
import { WRAPPED_RNN, type BidirectionalParams } from '../../layers/bidirectional.ts';
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

type RnnParams = Pick<RecurrentParams, 'units' | 'activation'>;

const activationCheck =
  (kind: RecurrentKind) =>
  (params: RnnParams): string[] =>
    RNN_ACTIVATIONS[params.activation]
      ? []
      : [
          `ONNX's ${OP[kind]} op has no "${params.activation}" activation; use one of ${Object.keys(RNN_ACTIVATIONS).join(', ')}`,
        ];

/**
 * One ONNX RNN/LSTM/GRU node over the (time-major) input, one direction per weight prefix (the
 * layer's own weights '', or Bidirectional's 'forward_rnn/', 'backward_rnn/'). Returns Y
 * [time, directions, batch, units] and Y_h [directions, batch, units].
 */
function rnnNode(ctx: EmitContext, kind: RecurrentKind, p: RnnParams, prefixes: string[]): string[] {
  const { units, activation } = p;
  const order = GATE_FROM_TFJS[kind];
  const gates = order.length;
  const dirs = prefixes.length;
  const features = ctx.inputShapes[0][1] as number;
  const x = ctx.input(0, timeMajorPerm());
  const stack = (weight: string, rows: number) => {
    const out = new Float32Array(dirs * gates * units * rows);
    prefixes.forEach((prefix, d) =>
      out.set(gateMajor(ctx.weight(prefix + weight), order, units), d * gates * units * rows),
    );
    return out;
  };
  const w = ctx.floatConst('W', stack('kernel', features), [dirs, gates * units, features]);
  const r = ctx.floatConst('R', stack('recurrent_kernel', units), [dirs, gates * units, units]);
  // Per direction [Wb, Rb]; tfjs has one bias per gate, kept in Wb.
  const bias = new Float32Array(dirs * 2 * gates * units);
  prefixes.forEach((prefix, d) => {
    if (!ctx.hasWeight(`${prefix}bias`)) return;
    const tfBias = ctx.weight(`${prefix}bias`).data;
    order.forEach((tfGate, onnxGate) =>
      bias.set(tfBias.subarray(tfGate * units, (tfGate + 1) * units), (2 * d * gates + onnxGate) * units),
    );
  });
  const b = ctx.floatConst('B', bias, [dirs, 2 * gates * units]);

  const fns = prefixes.flatMap(() => activationList(kind, activation).map((a) => RNN_ACTIVATIONS[a]));
  // activation_alpha/beta are consumed in order by the functions that take them.
  const alphas = fns.filter((f) => f.alpha !== undefined).map((f) => f.alpha as number);
  const betas = fns.filter((f) => f.beta !== undefined).map((f) => f.beta as number);
  return ctx.node(
    OP[kind],
    [x, w, r, b],
    {
      hidden_size: units,
      direction: dirs === 2 ? 'bidirectional' : undefined,
      activations: fns.map((f) => f.name),
      activation_alpha: alphas.length ? floats(alphas) : undefined,
      activation_beta: betas.length ? floats(betas) : undefined,
      linear_before_reset: kind === 'GRU' ? 0 : undefined,
    },
    2,
  );
}

export function recurrentOnnx(kind: RecurrentKind): OnnxEmitter<RecurrentParams> {
  return {
    check: ({ params }) => activationCheck(kind)(params),
    emit(ctx: EmitContext<RecurrentParams>): OnnxValue {
      const [seq, last] = rnnNode(ctx, kind, ctx.params, ['']);
      // Y is [time, 1, batch, units]; Y_h is [1, batch, units].
      if (ctx.params.returnSequences) return { name: squeeze(ctx, seq, [1]), perm: timeMajorPerm() };
      return { name: squeeze(ctx, last, [0]), perm: identityPerm(2) };
    },
  };
}

/** Bidirectional: one bidirectional ONNX op, each direction taken out of Y or Y_h and merged as tfjs does. */
export const bidirectionalOnnx: OnnxEmitter<BidirectionalParams> = {
  check: ({ params }) => activationCheck(params.layer)(params),
  emit(ctx) {
    const p = ctx.params;
    const dirs = [`forward_${WRAPPED_RNN}/`, `backward_${WRAPPED_RNN}/`];
    const [seq, last] = rnnNode(ctx, p.layer, p, dirs);
    // The direction axis: 1 in Y [time, 2, batch, units], 0 in Y_h [2, batch, units].
    const [y, axis] = p.returnSequences ? [seq, 1] : [last, 0];
    const [forward, backward] = [0, 1].map((d) =>
      ctx.op('Gather', [y, ctx.intConst(d ? 'backward' : 'forward', [d], [])], { axis }),
    );
    const merged =
      p.mergeMode === 'concat'
        ? ctx.op('Concat', [forward, backward], { axis: -1 })
        : p.mergeMode === 'mul'
          ? ctx.op('Mul', [forward, backward])
          : ctx.op('Add', [forward, backward]);
    const out = p.mergeMode === 'ave' ? ctx.op('Mul', [merged, ctx.floatConst('half', [0.5], [])]) : merged;
    return { name: out, perm: p.returnSequences ? timeMajorPerm() : identityPerm(2) };
  },
};
