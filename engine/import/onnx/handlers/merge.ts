// Ops with several inputs. Between tensors: Add/Sum → Add, Mul → Multiply, Mean → Average, Sub →
// Subtract, Max → Maximum, Min → Minimum, Concat → Concatenate, all inputs in one layout (a Concat
// with blocks of zeros is zero padding, edges.ts). With a constant: Add is the bias of the Dense or
// Conv before it; Mul by a per-channel constant (and the Add after it) is the exporter's BatchNorm
// on a last axis, imported as a BatchNormalization with zero mean and unit variance.
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { zeroPadConcat } from './edges.ts';
import { logicalAxis, samePerm, type TensorValue } from '../values.ts';
import { joinDirections } from './recurrent.ts';

/** Epsilon of a BatchNormalization that stands for a per-channel affine map (variance 1 − ε). */
const AFFINE_EPSILON = 0.001;

function tensorsAligned(ctx: ImportContext, xs: TensorValue[]): void {
  const [first] = xs;
  for (const x of xs.slice(1)) {
    if (!samePerm(x.perm, first.perm) || (x.unitAxes ?? 0) !== (first.unitAxes ?? 0))
      refuse('its inputs are stored in different axis orders');
    const a = x.order;
    const b = first.order;
    if ((a || b) && !(a && b && a.every((v, i) => v === b[i])))
      refuse('its inputs are flat vectors in different orders');
  }
  if (xs.some((x) => x.shape.length !== first.shape.length))
    refuse('its inputs have different ranks (broadcasting has no Netwright layer)');
}

function merge(type: 'Add' | 'Multiply' | 'Average' | 'Subtract' | 'Maximum' | 'Minimum') {
  return (ctx: ImportContext) => {
    const xs = ctx.node.inputs.map((_, i) => ctx.tensor(i));
    tensorsAligned(ctx, xs);
    const id = ctx.add(type, {}, xs);
    ctx.set(0, { ...xs[0], node: id });
  };
}

function perChannel(ctx: ImportContext, x: TensorValue, constIndex: number): Float32Array | null {
  const c = ctx.constant(constIndex);
  const channels = x.shape[x.shape.length - 1];
  if (!c || channels === null) return null;
  const size = c.data.length;
  const lastIsChannels = x.perm[x.perm.length - 1] === x.perm.length - 1 && !x.unitAxes;
  if (size !== channels || !lastIsChannels || c.dims.slice(0, -1).some((d) => d !== 1)) return null;
  return Float32Array.from(c.data as ArrayLike<number>);
}

function add(ctx: ImportContext) {
  if (joinDirections(ctx)) return;
  const kinds = [ctx.value(0)?.kind, ctx.value(1)?.kind];
  if (kinds.every((k) => k === 'tensor')) return merge('Add')(ctx);
  const t = kinds[0] === 'tensor' ? 0 : 1;
  const x = ctx.tensor(t);
  const producer = ctx.nodeOf(x.node);
  const single = ctx.inputReaders(t) === 1;
  if (
    single &&
    producer.type === 'Dense' &&
    producer.params.useBias === false &&
    producer.params.activation === 'linear'
  ) {
    const bias = perChannel(ctx, x, 1 - t);
    if (!bias) refuse('its constant is not one value per unit of the Dense before it');
    ctx.setParam(x.node, 'useBias', true);
    ctx.setWeight(x.node, 'bias', { shape: [bias!.length], data: bias! });
    return ctx.set(0, x);
  }
  const beta = ctx.weight(x.node, 'beta');
  if (single && producer.type === 'BatchNormalization' && beta && beta.data.every((v) => v === 0)) {
    const shift = perChannel(ctx, x, 1 - t);
    if (!shift) refuse('its constant is not one value per channel');
    ctx.setWeight(x.node, 'beta', { shape: beta.shape, data: shift! });
    return ctx.set(0, x);
  }
  refuse('adding a constant has no Netwright layer except as the bias of the Dense before it');
}

function mul(ctx: ImportContext) {
  if (joinDirections(ctx)) return;
  const kinds = [ctx.value(0)?.kind, ctx.value(1)?.kind];
  if (kinds.every((k) => k === 'tensor')) return merge('Multiply')(ctx);
  const t = kinds[0] === 'tensor' ? 0 : 1;
  const x = ctx.tensor(t);
  // Half the sum of a Bidirectional's two directions is its 'ave' merge.
  const producer = ctx.nodeOf(x.node);
  const half = ctx.constant(1 - t);
  if (
    producer.type === 'Bidirectional' &&
    producer.params.mergeMode === 'sum' &&
    ctx.inputReaders(t) === 1 &&
    half?.data.length === 1 &&
    half.data[0] === 0.5
  ) {
    ctx.setParam(x.node, 'mergeMode', 'ave');
    return ctx.set(0, x);
  }
  const scale = perChannel(ctx, x, 1 - t);
  if (!scale) refuse('multiplying by a constant has no Netwright layer unless it is one value per channel');
  const c = scale!.length;
  const id = ctx.add('BatchNormalization', { epsilon: AFFINE_EPSILON }, [x]);
  ctx.setWeight(id, 'gamma', { shape: [c], data: scale! });
  ctx.setWeight(id, 'beta', { shape: [c], data: new Float32Array(c) });
  ctx.setWeight(id, 'moving_mean', { shape: [c], data: new Float32Array(c) });
  ctx.setWeight(id, 'moving_variance', { shape: [c], data: new Float32Array(c).fill(1 - AFFINE_EPSILON) });
  ctx.set(0, { ...x, node: id });
}

function concat(ctx: ImportContext) {
  if (joinDirections(ctx)) return;
  const values = ctx.node.inputs.map((_, i) => ctx.value(i));
  if (values.every((v) => v?.kind === 'shape' || v?.kind === 'const')) return ctx.set(0, { kind: 'shape' });
  if (values.some((v) => v?.kind === 'zeros')) return zeroPadConcat(ctx, values);
  const xs = values.map((_, i) => ctx.tensor(i));
  tensorsAligned(ctx, xs);
  if (xs.some((x) => x.order)) refuse('it joins reordered flat vectors');
  const axis = logicalAxis(xs[0], ctx.node.attrs.int('axis', 1));
  if (axis === null || axis === 0) refuse('it joins along the batch axis or an axis Netwright does not keep');
  const rank = xs[0].perm.length;
  const id = ctx.add('Concatenate', { axis: axis === rank - 1 ? -1 : axis! }, xs);
  ctx.set(0, { ...xs[0], node: id, shape: ctx.shapeOf(id) });
}

export const mergeHandlers = [
  ...handles(['Add'], add),
  ...handles(['Sum'], merge('Add')),
  ...handles(['Mul'], mul),
  ...handles(['Mean'], merge('Average')),
  ...handles(['Sub'], merge('Subtract')),
  ...handles(['Max'], merge('Maximum')),
  ...handles(['Min'], merge('Minimum')),
  ...handles(['Concat'], concat),
];
