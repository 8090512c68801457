// Conv (one group per channel: DepthwiseConv2D), MaxPool, AveragePool and the global pools. ONNX
// reads these channels-first; the tensor must arrive channels-first (a torch NCHW input, or a
// Transpose from NHWC), and leaves channels-first.
// Explicit pads are accepted when they are exactly tfjs' 'valid', 'same' or (1-D) 'causal' padding.
import { samePads } from '../../../onnx/padding.ts';
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import type { ConstTensor } from '../onnx-model.ts';
import { channelsFirstPerm, identityPerm, logicalAxis, samePerm, type TensorValue } from '../values.ts';

export function spatialInput(ctx: ImportContext): { x: TensorValue; rank: 1 | 2 | 3 } {
  const x = ctx.tensor(0);
  const rank = x.shape.length - 1;
  if (rank < 1 || rank > 3)
    refuse(`only 1-D, 2-D and 3-D windows are supported (the input has ${rank} spatial axes)`);
  if (x.unitAxes || !samePerm(x.perm, channelsFirstPerm(rank + 2)))
    refuse('its input is not laid out channels-first, so its channel axis could not be traced');
  return { x, rank: rank as 1 | 2 | 3 };
}

/** tfjs padding mode equal to these ONNX pads, or a refusal. */
function paddingMode(
  ctx: ImportContext,
  x: TensorValue,
  window: { kernel: number[]; strides: number[]; dilations: number[] },
): string {
  const autoPad = ctx.node.attrs.string('auto_pad', 'NOTSET');
  if (autoPad === 'VALID') return 'valid';
  if (autoPad === 'SAME_UPPER') return 'same';
  if (autoPad !== 'NOTSET')
    refuse(`auto_pad ${autoPad} puts the odd padding pixel first, which tfjs does not do`);
  const rank = window.kernel.length;
  const pads = ctx.node.attrs.ints('pads') ?? new Array<number>(2 * rank).fill(0);
  if (pads.every((p) => p === 0)) return 'valid';
  const same = samePads(x.shape.slice(0, rank), window);
  if (same && same.every((p, i) => p === pads[i])) return 'same';
  const causal = [
    ...window.kernel.map((k, i) => (k - 1) * window.dilations[i]),
    ...window.kernel.map(() => 0),
  ];
  if (rank === 1 && causal.every((p, i) => p === pads[i])) return 'causal';
  return refuse(
    `pads [${pads.join(', ')}] are neither 'valid' nor tfjs' 'same' padding for an input of size [${x.shape.slice(0, rank).join(', ')}]`,
  );
}

/** A window size as a user writes it: 3 for [3, 3], the tuple when the sizes differ. */
export const compact = (v: number[]): number | number[] => (v.every((d) => d === v[0]) ? v[0] : v);

/** The constant bias of a Conv-like node (input 2), null without one; a computed bias is refused. */
export function constantBias(ctx: ImportContext): Float32Array | null {
  if (!ctx.node.inputs[2]) return null;
  const b = ctx.constant(2) ?? refuse('only a constant bias can be imported');
  return Float32Array.from(b.data as ArrayLike<number>);
}

/** ONNX [out, in, k…] → tfjs [k…, in, out]. */
export function kernelFromOnnx(
  data: Float32Array | number[],
  dims: number[],
): { data: Float32Array; shape: number[] } {
  const [outCh, inCh, ...taps] = dims;
  const tapCount = taps.reduce((a, b) => a * b, 1);
  const out = new Float32Array(outCh * inCh * tapCount);
  for (let o = 0; o < outCh; o++)
    for (let i = 0; i < inCh; i++)
      for (let s = 0; s < tapCount; s++)
        out[(s * inCh + i) * outCh + o] = data[(o * inCh + i) * tapCount + s] as number;
  return { data: out, shape: [...taps, inCh, outCh] };
}

function conv(ctx: ImportContext) {
  const { x, rank } = spatialInput(ctx);
  const w = ctx.constant(1);
  if (!w || w.dims.length !== rank + 2)
    refuse('only a constant weight tensor can be imported (as a Conv kernel)');
  if (ctx.node.attrs.int('group', 1) !== 1) return depthwiseConv(ctx, x, w!);
  const kernel = w!.dims.slice(2);
  const strides = ctx.node.attrs.ints('strides') ?? kernel.map(() => 1);
  const dilations = ctx.node.attrs.ints('dilations') ?? kernel.map(() => 1);
  const padding = paddingMode(ctx, x, { kernel, strides, dilations });
  const bias = constantBias(ctx);
  if (pointwiseAfterDepthwise(ctx, x, [...kernel, ...strides, ...dilations], padding))
    return separableConv(ctx, x, w!, bias);
  const id = ctx.add(
    `Conv${rank}D`,
    {
      filters: w!.dims[0],
      kernelSize: compact(kernel),
      strides: compact(strides),
      padding,
      dilationRate: compact(dilations),
      activation: 'linear',
      useBias: bias !== null,
    },
    [x],
  );
  ctx.setWeight(id, 'kernel', kernelFromOnnx(w!.data, w!.dims));
  if (bias) ctx.setWeight(id, 'bias', { shape: [bias.length], data: bias });
  ctx.set(0, { kind: 'tensor', node: id, shape: ctx.shapeOf(id), perm: channelsFirstPerm(rank + 2) });
}

/** A 1×1 Conv reading only a DepthwiseConv2D without bias or activation: the two are one SeparableConv2D. */
function pointwiseAfterDepthwise(ctx: ImportContext, x: TensorValue, ones: number[], padding: string) {
  const producer = ctx.nodeOf(x.node);
  return (
    producer.type === 'DepthwiseConv2D' &&
    producer.params.useBias === false &&
    producer.params.activation === 'linear' &&
    ones.every((v) => v === 1) &&
    padding === 'valid' &&
    ctx.inputReaders(0) === 1 &&
    ctx.nodeConsumers(x.node) === 0
  );
}

function separableConv(ctx: ImportContext, x: TensorValue, w: ConstTensor, bias: Float32Array | null) {
  const depthwise = ctx.nodeOf(x.node);
  ctx.retype(x.node, 'SeparableConv2D', { ...depthwise.params, filters: w.dims[0], useBias: bias !== null });
  ctx.setWeight(x.node, 'pointwise_kernel', kernelFromOnnx(w.data, w.dims));
  if (bias) ctx.setWeight(x.node, 'bias', { shape: [bias.length], data: bias });
  ctx.set(0, { ...x, shape: ctx.shapeOf(x.node) });
}

/** A Conv with one group per input channel: DepthwiseConv2D (weights [C·m, 1, kh, kw]). */
function depthwiseConv(ctx: ImportContext, x: TensorValue, w: ConstTensor) {
  const channels = x.shape[x.shape.length - 1];
  if (x.shape.length !== 3 || ctx.node.attrs.int('group', 1) !== channels || w.dims[1] !== 1)
    refuse('only a 2-D convolution with one group per input channel (depthwise) has a Netwright layer');
  const kernel = w.dims.slice(2);
  const strides = ctx.node.attrs.ints('strides') ?? [1, 1];
  const dilations = ctx.node.attrs.ints('dilations') ?? [1, 1];
  if (dilations.some((d) => d !== 1)) refuse('a dilated depthwise convolution has no Netwright layer');
  const padding = paddingMode(ctx, x, { kernel, strides, dilations });
  const bias = constantBias(ctx);
  const multiplier = w.dims[0] / channels!;
  const id = ctx.add(
    'DepthwiseConv2D',
    {
      kernelSize: compact(kernel),
      strides: compact(strides),
      padding,
      depthMultiplier: multiplier,
      activation: 'linear',
      useBias: bias !== null,
    },
    [x],
  );
  // [C·m, 1, kh, kw] → [kh, kw, 1, C·m], which is tfjs's [kh, kw, C, m] in the same order.
  const k = kernelFromOnnx(w.data, w.dims);
  ctx.setWeight(id, 'depthwise_kernel', { data: k.data, shape: [...kernel, channels!, multiplier] });
  if (bias) ctx.setWeight(id, 'bias', { shape: [bias.length], data: bias });
  ctx.set(0, { kind: 'tensor', node: id, shape: ctx.shapeOf(id), perm: channelsFirstPerm(4) });
}

function pool(kind: 'Max' | 'Average') {
  return (ctx: ImportContext) => {
    const { x, rank } = spatialInput(ctx);
    const a = ctx.node.attrs;
    const kernel = a.ints('kernel_shape') ?? refuse('it has no kernel_shape');
    const strides = a.ints('strides') ?? kernel.map(() => 1);
    if (a.int('ceil_mode', 0) !== 0) refuse('ceil_mode = 1 has no tfjs equivalent');
    if ((a.ints('dilations') ?? []).some((d) => d !== 1)) refuse('dilated pooling has no tfjs equivalent');
    if (ctx.node.outputs.length > 1 && ctx.consumers(1) > 0)
      refuse('its Indices output has no Netwright equivalent');
    const padding = paddingMode(ctx, x, { kernel, strides, dilations: kernel.map(() => 1) });
    if (kind === 'Average' && padding === 'same' && a.int('count_include_pad', 0) !== 0)
      refuse("count_include_pad = 1 averages padding zeros in, tfjs' 'same' pooling does not");
    // strides null: tfjs' "as the pool size".
    const sameAsPool = strides.every((s, i) => s === kernel[i]);
    const id = ctx.add(
      `${kind}Pooling${rank}D`,
      { poolSize: compact(kernel), strides: sameAsPool ? null : compact(strides), padding },
      [x],
    );
    ctx.set(0, { kind: 'tensor', node: id, shape: ctx.shapeOf(id), perm: channelsFirstPerm(rank + 2) });
  };
}

/** GlobalAveragePool/GlobalMaxPool: [N, C, 1, 1] in ONNX, [C] in Netwright (the unit axes are kept aside). */
function globalPool(kind: 'Max' | 'Average') {
  return (ctx: ImportContext) => {
    const { x, rank } = spatialInput(ctx);
    const id = ctx.add(`Global${kind}Pooling${rank}D`, {}, [x]);
    ctx.set(0, { kind: 'tensor', node: id, shape: ctx.shapeOf(id), perm: identityPerm(2), unitAxes: rank });
  };
}

/** ReduceMean/ReduceMax over exactly the spatial axes: a global pool written out (the exporter's, and Keras'). */
function reducePool(kind: 'Max' | 'Average') {
  return (ctx: ImportContext) => {
    const x = ctx.tensor(0);
    const rank = x.shape.length - 1;
    const axesInput = ctx.node.inputs[1] ? ctx.constant(1) : null;
    const axes = ctx.node.attrs.ints('axes') ?? (axesInput?.data as number[] | undefined);
    if (!axes || rank < 1 || rank > 3 || x.unitAxes)
      refuse(
        'only a reduction over the spatial axes of an image or sequence (a global pool) can be imported',
      );
    const logical = axes!.map((a) => logicalAxis(x, a)).sort();
    const spatial = Array.from({ length: rank }, (_, i) => i + 1);
    if (logical.length !== rank || logical.some((a, i) => a !== spatial[i]))
      refuse('it reduces over axes other than exactly the spatial ones');
    const keep = ctx.node.attrs.int('keepdims', 1) === 1;
    const kept = x.perm.filter((p) => p === 0 || p === rank + 1);
    if (keep && !x.perm.slice(-rank).every((p) => spatial.includes(p)))
      refuse('it keeps reduced axes between the batch and the channels');
    const id = ctx.add(`Global${kind}Pooling${rank}D`, {}, [x]);
    ctx.set(0, {
      kind: 'tensor',
      node: id,
      shape: ctx.shapeOf(id),
      perm: kept.map((p) => (p === 0 ? 0 : 1)),
      ...(keep ? { unitAxes: rank } : {}),
    });
  };
}

export const spatialHandlers = [
  ...handles(['Conv'], conv),
  ...handles(['MaxPool'], pool('Max')),
  ...handles(['AveragePool'], pool('Average')),
  ...handles(['GlobalAveragePool'], globalPool('Average')),
  ...handles(['GlobalMaxPool'], globalPool('Max')),
  ...handles(['ReduceMean'], reducePool('Average')),
  ...handles(['ReduceMax'], reducePool('Max')),
];
