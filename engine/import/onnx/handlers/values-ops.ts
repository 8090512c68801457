// Ops that compute constants or shapes rather than activations: Constant, Shape (and the Gather,
// Concat, Unsqueeze chains torch builds from it, e.g. for an LSTM's zero initial state),
// ConstantOfShape, and Gather, which is also an Embedding lookup and a recurrent layer's last state.
import { decodeTensor } from '../onnx-model.ts';
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { identityPerm } from '../values.ts';
import { takeDirection, unwrapRecurrent } from './recurrent.ts';

function constant(ctx: ImportContext) {
  const a = ctx.node.attrs;
  const t = a.tensor('value');
  const decoded = t ? decodeTensor(t) : null;
  if (decoded) return ctx.set(0, { kind: 'const', ...decoded });
  const f = a.has('value_float') ? [a.float('value_float', 0)] : a.floats('value_floats');
  if (f)
    return ctx.set(0, {
      kind: 'const',
      dims: a.has('value_float') ? [] : [f.length],
      data: Float32Array.from(f),
      float: true,
    });
  const i = a.has('value_int') ? [a.int('value_int', 0)] : a.ints('value_ints');
  if (i)
    return ctx.set(0, { kind: 'const', dims: a.has('value_int') ? [] : [i.length], data: i, float: false });
  refuse('its value type is not supported');
}

function shape(ctx: ImportContext) {
  ctx.set(0, { kind: 'shape' });
}

function constantOfShape(ctx: ImportContext) {
  const t = ctx.node.attrs.tensor('value');
  const v = t ? decodeTensor(t) : null;
  if (t && (!v || [...v.data].some((d) => d !== 0)))
    refuse('only an all-zero fill (an initial state) is supported');
  ctx.set(0, { kind: 'zeros' });
}

function gather(ctx: ImportContext) {
  const data = ctx.value(0);
  const indices = ctx.value(1);
  const axis = ctx.node.attrs.int('axis', 0);
  if (data?.kind === 'shape') return ctx.set(0, { kind: 'shape' });
  if (
    data?.kind === 'recurrent' &&
    ctx.nodeOf(data.node).type === 'Bidirectional' &&
    indices?.kind === 'const' &&
    indices.dims.length === 0
  )
    return takeDirection(ctx, data, axis, indices.data[0] as number);
  if (data?.kind === 'recurrent' && data.part === 'last' && indices?.kind === 'const' && axis === 0) {
    const i = indices.data[0] as number;
    if (indices.dims.length === 0 && (i === 0 || i === -1)) return unwrapRecurrent(ctx, data, [0]);
  }
  if (data?.kind === 'const' && data.dims.length === 2 && axis === 0) {
    const ids = ctx.tensor(1);
    const [inputDim, outputDim] = data.dims;
    if (ids.unitAxes || ids.order || ids.perm.some((p, i) => p !== i))
      refuse('its token ids are stored in another axis order than Netwright keeps');
    const id = ctx.add('Embedding', { inputDim, outputDim }, [ids]);
    ctx.setWeight(id, 'embeddings', {
      shape: [inputDim, outputDim],
      data: Float32Array.from(data.data as ArrayLike<number>),
    });
    return ctx.set(0, {
      kind: 'tensor',
      node: id,
      shape: ctx.shapeOf(id),
      perm: identityPerm(ids.perm.length + 1),
    });
  }
  refuse(
    'only an Embedding lookup (a constant table), a recurrent layer’s last state or a shape computation can be imported',
  );
}

export const valueHandlers = [
  ...handles(['Constant'], constant),
  ...handles(['Shape'], shape),
  ...handles(['ConstantOfShape'], constantOfShape),
  ...handles(['Gather'], gather),
];
