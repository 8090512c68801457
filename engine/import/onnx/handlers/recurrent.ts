// ONNX LSTM / GRU / RNN → Netwright LSTM / GRU / SimpleRNN. ONNX keeps [1, gates·units, in] weights
// with gates in its order (LSTM i,o,f,c) and two biases; tfjs keeps [in, gates·units] in its order
// (LSTM i,f,c,o) and one bias, the sum of the two (exact: both are added inside the same gate).
// Whether the layer returns sequences follows from which output the model reads: Y (every step) or
// Y_h (the last state); torch's batch-first transposes and Squeeze/Gather around them are layout only.
import { WRAPPED_RNN } from '../../../layers/bidirectional.ts';
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { identityPerm, samePerm, timeMajorPerm, type RecurrentValue, type Value } from '../values.ts';

const KIND: Record<string, { type: string; gates: number; fromOnnx: number[] }> = {
  // tfjsGate = fromOnnx[onnxGate]
  LSTM: { type: 'LSTM', gates: 4, fromOnnx: [0, 3, 1, 2] },
  GRU: { type: 'GRU', gates: 3, fromOnnx: [0, 1, 2] },
  RNN: { type: 'SimpleRNN', gates: 1, fromOnnx: [0] },
};

const ACTIVATIONS: Record<string, string> = {
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
  Relu: 'relu',
  Softsign: 'softsign',
  Softplus: 'softplus',
};

/** ONNX [gates·units, rows] (gate-major) → tfjs [rows, gates·units] in tfjs' gate order. */
function toTfjs(data: ArrayLike<number>, rows: number, units: number, fromOnnx: number[]): Float32Array {
  const gates = fromOnnx.length;
  const out = new Float32Array(rows * gates * units);
  fromOnnx.forEach((tfGate, onnxGate) => {
    for (let u = 0; u < units; u++)
      for (let r = 0; r < rows; r++)
        out[r * gates * units + tfGate * units + u] = data[(onnxGate * units + u) * rows + r];
  });
  return out;
}

function activation(ctx: ImportContext, kindName: string, dirs: number): string {
  const given = ctx.node.attrs.strings('activations');
  const defaults =
    kindName === 'LSTM' ? ['Sigmoid', 'Tanh', 'Tanh'] : kindName === 'GRU' ? ['Sigmoid', 'Tanh'] : ['Tanh'];
  const fns = given?.slice(0, defaults.length) ?? defaults;
  // A bidirectional op lists the forward functions, then the backward ones.
  if (given && given.length === 2 * defaults.length && given.slice(defaults.length).join() !== fns.join())
    refuse('its two directions use different activations');
  if (given && given.length !== dirs * defaults.length) refuse('its activations do not match its directions');
  if (kindName !== 'RNN' && fns[0] !== 'Sigmoid')
    refuse(`its gates use ${fns[0]}; Netwright's gates use Sigmoid`);
  const candidate = fns[kindName === 'RNN' ? 0 : 1];
  if (kindName === 'LSTM' && fns[2] !== candidate) refuse('its cell and output activations differ');
  return ACTIVATIONS[candidate] ?? refuse(`its activation ${candidate} has no Netwright equivalent`);
}

const isZeroState = (v: Value | undefined) =>
  v === undefined || v.kind === 'zeros' || (v.kind === 'const' && [...v.data].every((d) => d === 0));

function recurrent(ctx: ImportContext) {
  const kindName = ctx.node.opType;
  const kind = KIND[kindName];
  const a = ctx.node.attrs;
  const x = ctx.tensor(0);
  if (x.shape.length !== 2) refuse('its input is not a sequence [batch, steps, features]');
  if (a.int('layout', 0) !== 0)
    refuse('layout = 1 (batch-first outputs) is not supported; export with layout 0');
  if (!samePerm(x.perm, timeMajorPerm()))
    refuse('its input sequence is not laid out time-major as the op reads it');
  const direction = a.string('direction', 'forward');
  if (direction === 'reverse') refuse('a layer run only backwards has no Netwright layer');
  const dirs = direction === 'bidirectional' ? 2 : 1;
  if (a.has('clip')) refuse('cell clipping has no tfjs equivalent');
  if (a.int('input_forget', 0) !== 0) refuse('coupled input-forget gates have no tfjs equivalent');
  if (kindName === 'GRU' && a.int('linear_before_reset', 0) !== 0)
    refuse(
      "linear_before_reset = 1 (PyTorch's GRU) applies the reset gate after the recurrent product, and tfjs' GRU can only apply it before (it has no reset_after), so no Netwright GRU computes this layer",
    );
  if (ctx.node.inputs[4]) refuse('per-sample sequence lengths have no Netwright equivalent');
  for (const i of [5, 6])
    if (!isZeroState(ctx.value(i))) refuse('a non-zero initial state has no Netwright equivalent');
  if (ctx.node.inputs[7] && !isZeroState(ctx.value(7)))
    refuse('peephole connections have no tfjs equivalent');
  const units = a.int('hidden_size', 0);
  const w = ctx.constant(1);
  const r = ctx.constant(2);
  if (!w || !r) refuse('only constant weights W and R can be imported');
  const features = x.shape[1] ?? refuse('its feature count is unknown');
  const width = kind.gates * units;
  if (w!.data.length !== dirs * width * features || r!.data.length !== dirs * width * units)
    refuse('its weights do not match hidden_size and the input features');
  if (ctx.consumers(2) > 0) refuse('its cell state output Y_c has no Netwright equivalent');
  const sequences = ctx.consumers(0) > 0;
  if (sequences && ctx.consumers(1) > 0) refuse('the model reads both its sequence Y and its last state Y_h');
  const params = { units, returnSequences: sequences, activation: activation(ctx, kindName, dirs) };
  // A bidirectional op is a Bidirectional node; the merge after it (joinDirections) sets its mode.
  const id =
    dirs === 2
      ? ctx.add('Bidirectional', { layer: kind.type, ...params, mergeMode: 'concat' }, [x])
      : ctx.add(kind.type, params, [x]);
  const b = ctx.node.inputs[3] ? ctx.constant(3) : null;
  if (ctx.node.inputs[3] && !b) refuse('only a constant bias can be imported');
  for (let d = 0; d < dirs; d++) {
    const prefix = dirs === 2 ? `${d ? 'backward' : 'forward'}_${WRAPPED_RNN}/` : '';
    const of = (data: ArrayLike<number>, rows: number) =>
      Array.prototype.slice.call(data, d * width * rows, (d + 1) * width * rows) as number[];
    ctx.setWeight(id, `${prefix}kernel`, {
      shape: [features, width],
      data: toTfjs(of(w!.data as ArrayLike<number>, features), features, units, kind.fromOnnx),
    });
    ctx.setWeight(id, `${prefix}recurrent_kernel`, {
      shape: [units, width],
      data: toTfjs(of(r!.data as ArrayLike<number>, units), units, units, kind.fromOnnx),
    });
    const bias = new Float32Array(width);
    if (b) {
      const at = d * 2 * width;
      kind.fromOnnx.forEach((tfGate, onnxGate) => {
        for (let u = 0; u < units; u++)
          bias[tfGate * units + u] =
            (b.data[at + onnxGate * units + u] as number) +
            (b.data[at + width + onnxGate * units + u] as number);
      });
    }
    ctx.setWeight(id, `${prefix}bias`, { shape: [width], data: bias });
  }
  ctx.set(0, { kind: 'recurrent', node: id, part: 'sequence' });
  ctx.set(1, { kind: 'recurrent', node: id, part: 'last' });
}

/** A Gather of one direction out of a bidirectional op's Y (axis 1) or Y_h (axis 0). */
export function takeDirection(ctx: ImportContext, v: RecurrentValue, axis: number, index: number): void {
  if (v.direction !== undefined || axis !== (v.part === 'sequence' ? 1 : 0) || ![0, 1, -1].includes(index))
    refuse('it takes something other than one direction out of a bidirectional recurrent output');
  ctx.set(0, { ...v, direction: index === 0 ? 0 : 1 });
}

const MERGE_OF: Record<string, string> = { Concat: 'concat', Add: 'sum', Mul: 'mul' };

/**
 * Concat (forward first, last axis), Add or Mul of a bidirectional op's two directions: the merge of
 * its Bidirectional node. Returns false when the inputs are not that.
 */
export function joinDirections(ctx: ImportContext): boolean {
  const [a, b] = [ctx.value(0), ctx.value(1)];
  if (a?.kind !== 'recurrent' || b?.kind !== 'recurrent' || a.direction === undefined) return false;
  if (ctx.node.inputs.length !== 2 || b.node !== a.node || b.part !== a.part || b.direction === a.direction)
    refuse('it joins directions of different recurrent outputs');
  const op = ctx.node.opType;
  if (op === 'Concat') {
    const axis = ctx.node.attrs.int('axis', 0);
    const last = a.part === 'sequence' ? 2 : 1;
    if (a.direction !== 0 || (axis !== -1 && axis !== last))
      refuse('it joins the two directions other than forward then backward on the last axis');
  }
  ctx.setParam(a.node, 'mergeMode', MERGE_OF[op]);
  ctx.set(0, {
    kind: 'tensor',
    node: a.node,
    shape: ctx.shapeOf(a.node),
    perm: a.part === 'sequence' ? timeMajorPerm() : identityPerm(2),
  });
  return true;
}

/** Y [steps, 1, batch, units] without its direction axis; Y_h [1, batch, units] without it. */
export function unwrapRecurrent(ctx: ImportContext, v: RecurrentValue, axes: number[]): void {
  if (v.direction !== undefined || ctx.nodeOf(v.node).type === 'Bidirectional')
    refuse('it removes the direction axis of a bidirectional recurrent output, which holds two');
  const expected = v.part === 'sequence' ? 1 : 0;
  if (axes.length !== 1 || (axes[0] !== expected && axes[0] !== expected - (v.part === 'sequence' ? 4 : 3)))
    refuse('it removes an axis other than the direction axis of a recurrent output');
  const shape = ctx.shapeOf(v.node);
  ctx.set(0, {
    kind: 'tensor',
    node: v.node,
    shape,
    perm: v.part === 'sequence' ? timeMajorPerm() : identityPerm(2),
  });
}

export const recurrentHandlers = handles(['LSTM', 'GRU', 'RNN'], recurrent);
