// Element-wise activations. Right after a Dense or Conv whose output nothing else reads, the
// activation becomes that layer's `activation` (as the exporter writes Dense(relu) as Gemm + Relu);
// elsewhere it is an Activation node. Ops with settings of their own (LeakyRelu, PRelu, Elu's alpha,
// Softmax's axis, Clip) become the activation layers that carry them.
import type { Params } from '../../../layers/types.ts';
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { logicalAxis, type TensorValue } from '../values.ts';

const FUSES_INTO = new Set([
  'Dense',
  'Conv1D',
  'Conv2D',
  'Conv2DTranspose',
  'DepthwiseConv2D',
  'SeparableConv2D',
]);

/** The tfjs activation each op computes (Elu with alpha 1, Softmax over the features axis). */
const ACTIVATION_OF: Record<string, string> = {
  Relu: 'relu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  Softplus: 'softplus',
  Softsign: 'softsign',
  Elu: 'elu',
  Selu: 'selu',
  Softmax: 'softmax',
};

/** A layer kind with a setting the plain activations lack, fed by input 0; same shape and layout out. */
function sameShape(ctx: ImportContext, x: TensorValue, type: string, params: Params): string {
  const id = ctx.add(type, params, [x]);
  ctx.set(0, { ...x, node: id });
  return id;
}

/** Elu with another alpha is an ELU layer; Softmax over another axis a Softmax layer. */
function withSettings(ctx: ImportContext, x: TensorValue): boolean {
  const a = ctx.node.attrs;
  if (ctx.node.opType === 'Elu' && Math.abs(a.float('alpha', 1) - 1) > 1e-6) {
    sameShape(ctx, x, 'ELU', { alpha: a.float('alpha', 1) });
    return true;
  }
  if (ctx.node.opType !== 'Softmax') return false;
  const axis = x.unitAxes ? null : logicalAxis(x, a.int('axis', ctx.opset >= 13 ? -1 : 1));
  if (axis === x.perm.length - 1) return false;
  if (axis === null || axis === 0) refuse('it normalises over the batch or an axis Netwright does not keep');
  // Before opset 13, Softmax normalises over all the axes from `axis` on together.
  if (ctx.opset < 13) refuse('before opset 13 it normalises over several axes at once');
  sameShape(ctx, x, 'Softmax', { axis: axis! });
  return true;
}

function activation(ctx: ImportContext) {
  const x = ctx.tensor(0);
  if (withSettings(ctx, x)) return;
  const name = ACTIVATION_OF[ctx.node.opType];
  const producer = ctx.nodeOf(x.node);
  if (
    FUSES_INTO.has(producer.type) &&
    (producer.params.activation ?? 'linear') === 'linear' &&
    ctx.inputReaders(0) === 1 &&
    !x.order
  ) {
    ctx.setParam(x.node, 'activation', name);
    ctx.set(0, x);
    return;
  }
  const id = ctx.add('Activation', { activation: name }, [x]);
  ctx.set(0, { ...x, node: id });
}

function leakyRelu(ctx: ImportContext) {
  sameShape(ctx, ctx.tensor(0), 'LeakyReLU', { alpha: ctx.node.attrs.float('alpha', 0.01) });
}

/** Clip(x, 0, max) is a ReLU with maxValue (relu6 when max is 6). */
function clip(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const bound = (i: number, attr: string): number | null => {
    if (!ctx.node.inputs[i]) return ctx.node.attrs.has(attr) ? ctx.node.attrs.float(attr, 0) : null;
    const c = ctx.constant(i);
    if (!c || c.data.length !== 1) return refuse(`its ${attr} is not a single constant`);
    return Number(c.data[0]);
  };
  const min = bound(1, 'min');
  const max = bound(2, 'max');
  if (min !== 0) refuse('only a clip from 0 (a capped relu) has a Netwright layer');
  if (max !== null && max < 0) refuse('its upper bound is below 0');
  sameShape(ctx, x, 'ReLU', { maxValue: max });
}

/**
 * PRelu with constant slopes: PReLU, one slope per value except along the axes where the slopes
 * broadcast (its sharedAxes). The slopes are kept in their stored order, so the axes they vary along
 * must keep their order in Netwright's layout.
 */
function prelu(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const slope = ctx.constant(1);
  if (!slope || !slope.float) refuse('its slopes are not a float constant');
  if (x.unitAxes || x.order) refuse('its input is stored in an axis order Netwright does not keep');
  const rank = x.perm.length;
  if (slope!.dims.length > rank) refuse('its slopes have more axes than its input');
  const dims = [...new Array<number>(rank - slope!.dims.length).fill(1), ...slope!.dims];
  if (dims[0] !== 1) refuse('it has a slope per sample of the batch');
  const alphaShape = x.shape.map((_, i) => dims[x.perm.indexOf(i + 1)]);
  if (alphaShape.some((d, i) => d !== 1 && d !== x.shape[i]))
    refuse("its slopes' shape does not fit its input's");
  const varying = x.perm.slice(1).filter((logical) => alphaShape[logical - 1] !== 1);
  if (varying.some((v, i) => i > 0 && v < varying[i - 1]))
    refuse('its slopes vary along axes stored in another order than Netwright keeps');
  const shared = alphaShape.flatMap((d, i) => (d === 1 && x.shape[i] !== 1 ? [i + 1] : []));
  const id = sameShape(ctx, x, 'PReLU', { sharedAxes: shared.length ? shared : null });
  ctx.setWeight(id, 'alpha', { shape: alphaShape, data: Float32Array.from(slope!.data) });
}

export const activationHandlers = [
  ...handles(Object.keys(ACTIVATION_OF), activation),
  ...handles(['LeakyRelu'], leakyRelu),
  ...handles(['PRelu'], prelu),
  ...handles(['Clip'], clip),
];
