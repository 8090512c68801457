// Ops that move values without computing: Transpose (a change of `perm` only), Flatten and Reshape
// (a Flatten/Reshape node when they change Netwright's shape), Squeeze/Unsqueeze, and the
// inference-time identities Identity, Dropout and Cast.
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { flattenOrder, identityPerm, isIdentity, type TensorValue } from '../values.ts';
import { unwrapRecurrent } from './recurrent.ts';

function transpose(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const p = ctx.node.attrs.ints('perm') ?? [...x.perm.keys()].reverse();
  if (x.unitAxes || x.order) refuse('it transposes a tensor whose axes Netwright does not keep');
  ctx.set(0, { ...x, perm: p.map((i) => x.perm[i]) });
}

/** [batch, everything else]: a Flatten node, nothing for what is flat already in Netwright. */
function flattenTo2d(ctx: ImportContext, x: TensorValue) {
  if (x.shape.length === 1) {
    ctx.set(0, { ...x, perm: identityPerm(2), unitAxes: undefined });
    return;
  }
  if (x.shape.some((d) => d === null)) refuse('it flattens a tensor with an unknown size');
  const id = ctx.add('Flatten', {}, [x]);
  const order = isIdentity(x.perm) ? undefined : flattenOrder(x.shape as number[], x.perm);
  ctx.set(0, {
    kind: 'tensor',
    node: id,
    shape: ctx.shapeOf(id),
    perm: identityPerm(2),
    ...(order ? { order } : {}),
  });
}

function flatten(ctx: ImportContext) {
  const x = ctx.tensor(0);
  if (ctx.node.attrs.int('axis', 1) !== 1)
    refuse('only Flatten(axis = 1), which keeps the batch, has a Netwright layer');
  flattenTo2d(ctx, x);
}

function reshape(ctx: ImportContext) {
  const v = ctx.value(0);
  if (v?.kind === 'recurrent') {
    const target = ctx.constant(1)?.data ?? [];
    if (v.part === 'last' && target.length === 2) return unwrapRecurrent(ctx, v, [0]);
    refuse('it reshapes a recurrent output in a way Netwright can not follow');
  }
  const x = ctx.tensor(0);
  const shape = ctx.constant(1);
  if (!shape) refuse('only a constant target shape can be imported');
  const target = [...(shape!.data as number[])];
  const known = x.shape.every((d) => d !== null);
  const total = known ? (x.shape as number[]).reduce((a, b) => a * b, 1) : null;
  const batchFirst = target[0] === 0 || target[0] === -1;
  const rest = target.slice(1);
  if (!batchFirst && !(total !== null && target.length === 2 && target[1] === total))
    refuse('it reshapes across the batch axis');
  if (rest.length === 1 && (rest[0] === -1 || rest[0] === total)) return flattenTo2d(ctx, x);
  if (x.unitAxes || x.order || !isIdentity(x.perm))
    refuse('it reshapes a tensor stored in another axis order than Netwright keeps');
  const resolved = rest.map((d, i) => (d === 0 ? (x.shape[i] ?? -1) : d));
  if (resolved.length === x.shape.length && resolved.every((d, i) => d === x.shape[i])) return ctx.set(0, x);
  const id = ctx.add('Reshape', { targetShape: resolved }, [x]);
  ctx.set(0, { kind: 'tensor', node: id, shape: ctx.shapeOf(id), perm: identityPerm(resolved.length + 1) });
}

function axesOf(ctx: ImportContext): number[] {
  return (
    ctx.node.attrs.ints('axes') ??
    ((ctx.node.inputs[1] ? ctx.constant(1)?.data : undefined) as number[] | undefined) ??
    []
  );
}

function squeeze(ctx: ImportContext) {
  const v = ctx.value(0);
  if (v?.kind === 'shape' || v?.kind === 'const') return ctx.set(0, { kind: 'shape' });
  if (v?.kind === 'recurrent') return unwrapRecurrent(ctx, v, axesOf(ctx));
  const x = ctx.tensor(0);
  const axes = axesOf(ctx);
  const rank = x.perm.length + (x.unitAxes ?? 0);
  const unit = axes.map((a) => (a < 0 ? a + rank : a)).sort();
  if (x.unitAxes && unit.length === x.unitAxes && unit.every((a, i) => a === x.perm.length + i))
    return ctx.set(0, { ...x, unitAxes: undefined });
  refuse('it removes an axis Netwright keeps');
}

function unsqueeze(ctx: ImportContext) {
  const v = ctx.value(0);
  if (v?.kind === 'shape' || v?.kind === 'const') return ctx.set(0, { kind: 'shape' });
  refuse('adding an axis to a tensor has no Netwright layer (use Reshape in the source model)');
}

function passThrough(ctx: ImportContext) {
  const v = ctx.value(0) ?? refuse('it has no input');
  ctx.set(0, v);
}

function dropout(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const ratio = ctx.node.inputs[1] ? ctx.constant(1) : null;
  const rate = ratio ? (ratio.data[0] as number) : ctx.node.attrs.float('ratio', 0.5);
  const id = ctx.add('Dropout', { rate }, [x]);
  ctx.set(0, { ...x, node: id });
}

function cast(ctx: ImportContext) {
  const v = ctx.value(0) ?? refuse('it has no input');
  if (v.kind === 'tensor' || v.kind === 'shape' || v.kind === 'const') return ctx.set(0, v);
  refuse('it converts a value Netwright can not follow');
}

export const layoutHandlers = [
  ...handles(['Transpose'], transpose),
  ...handles(['Flatten'], flatten),
  ...handles(['Reshape'], reshape),
  ...handles(['Squeeze'], squeeze),
  ...handles(['Unsqueeze'], unsqueeze),
  ...handles(['Identity'], passThrough),
  ...handles(['Dropout'], dropout),
  ...handles(['Cast'], cast),
];
