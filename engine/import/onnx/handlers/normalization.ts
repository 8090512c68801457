// BatchNormalization (inference form: scale, bias, running mean and variance) and LayerNormalization.
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import type { TensorValue } from '../values.ts';

const floats = (ctx: ImportContext, i: number, what: string, size: number): Float32Array => {
  const c = ctx.constant(i);
  if (!c) return refuse(`its ${what} is not a constant`);
  if (c.data.length !== size) refuse(`its ${what} has ${c.data.length} values for ${size} channels`);
  return Float32Array.from(c.data as ArrayLike<number>);
};

/** The channel count, when ONNX's channel axis (1, or the last for LayerNorm) is Netwright's last axis. */
function channels(x: TensorValue, onnxAxis: 'second' | 'last'): number {
  const rank = x.perm.length;
  const stored = onnxAxis === 'second' ? 1 : rank - 1;
  if (x.unitAxes || x.perm[stored] !== rank - 1)
    refuse('its channel axis is not the last axis of the Netwright tensor');
  return x.shape[x.shape.length - 1] ?? refuse('its channel count is unknown');
}

function batchNorm(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const c = channels(x, 'second');
  if (ctx.node.attrs.int('training_mode', 0) !== 0)
    refuse('training_mode = 1 (batch statistics) is not an inference model');
  const params: Record<string, number> = { epsilon: ctx.node.attrs.float('epsilon', 1e-5) };
  if (ctx.node.attrs.has('momentum')) params.momentum = ctx.node.attrs.float('momentum', 0.9);
  const gamma = floats(ctx, 1, 'scale', c);
  const beta = floats(ctx, 2, 'bias', c);
  const mean = floats(ctx, 3, 'mean', c);
  const variance = floats(ctx, 4, 'variance', c);
  const id = ctx.add('BatchNormalization', params, [x]);
  ctx.setWeight(id, 'gamma', { shape: [c], data: gamma });
  ctx.setWeight(id, 'beta', { shape: [c], data: beta });
  ctx.setWeight(id, 'moving_mean', { shape: [c], data: mean });
  ctx.setWeight(id, 'moving_variance', { shape: [c], data: variance });
  ctx.set(0, { ...x, node: id });
}

function layerNorm(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const axis = ctx.node.attrs.int('axis', -1);
  if (axis !== -1 && axis !== x.perm.length - 1)
    refuse('only normalisation over the last axis has a Netwright layer');
  const c = channels(x, 'last');
  if (x.order) refuse('its input is a reordered flat vector');
  const id = ctx.add('LayerNormalization', { epsilon: ctx.node.attrs.float('epsilon', 1e-5) }, [x]);
  ctx.setWeight(id, 'gamma', { shape: [c], data: floats(ctx, 1, 'scale', c) });
  ctx.setWeight(id, 'beta', {
    shape: [c],
    data: ctx.node.inputs[2] ? floats(ctx, 2, 'bias', c) : new Float32Array(c),
  });
  ctx.set(0, { ...x, node: id });
}

export const normalizationHandlers = [
  ...handles(['BatchNormalization'], batchNorm),
  ...handles(['LayerNormalization'], layerNorm),
];
