// The ops that enlarge an image or sequence: ConvTranspose → Conv2DTranspose (when its pads and
// output_padding are what tfjs's 'valid' or 'same' computes), Resize and the older Upsample →
// UpSampling1D/2D (whole factors on the spatial axes, with tfjs's coordinates).
import { transposePads } from '../../../onnx/emitters/conv-variants.ts';
import type { Params } from '../../../layers/types.ts';
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { channelsFirstPerm, logicalAxis, storedRank } from '../values.ts';
import { compact, constantBias, kernelFromOnnx, spatialInput } from './spatial.ts';

const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function convTranspose(ctx: ImportContext) {
  const { x, rank } = spatialInput(ctx);
  if (rank !== 2) refuse('only a 2-D transposed convolution has a Netwright layer (Conv2DTranspose)');
  const w = ctx.constant(1);
  if (!w || w.dims.length !== 4) refuse('only a constant weight tensor can be imported');
  const a = ctx.node.attrs;
  if (a.int('group', 1) !== 1) refuse('a grouped transposed convolution has no Netwright layer');
  if ((a.ints('dilations') ?? []).some((d) => d !== 1))
    refuse('a dilated transposed convolution has no tfjs equivalent');
  if (a.ints('output_shape'))
    refuse('an explicit output_shape is not supported (pads and output_padding are)');
  if (a.string('auto_pad', 'NOTSET') !== 'NOTSET') refuse('auto_pad is not supported (explicit pads are)');
  const [, filters, ...kernel] = w!.dims;
  const strides = a.ints('strides') ?? [1, 1];
  const given = { pads: a.ints('pads') ?? [0, 0, 0, 0], output_padding: a.ints('output_padding') ?? [0, 0] };
  const padding = ['valid', 'same'].find((mode) => {
    const want = transposePads({ kernelSize: kernel, strides, padding: mode });
    return sameList(want.pads, given.pads) && sameList(want.output_padding, given.output_padding);
  });
  if (!padding)
    refuse(
      `pads [${given.pads.join(', ')}] with output_padding [${given.output_padding.join(', ')}] are neither tfjs' 'valid' nor 'same'`,
    );
  const bias = constantBias(ctx);
  const id = ctx.add(
    'Conv2DTranspose',
    {
      filters,
      kernelSize: compact(kernel),
      strides: compact(strides),
      padding: padding!,
      activation: 'linear',
      useBias: bias !== null,
    },
    [x],
  );
  // ONNX [in, filters, kh, kw] → tfjs [kh, kw, filters, in].
  ctx.setWeight(id, 'kernel', kernelFromOnnx(w!.data, w!.dims));
  if (bias) ctx.setWeight(id, 'bias', { shape: [bias.length], data: bias });
  ctx.set(0, { kind: 'tensor', node: id, shape: ctx.shapeOf(id), perm: channelsFirstPerm(4) });
}

/** Whether this nearest rounding repeats each input step exactly for whole scale factors. */
function repeatsExactly(transform: string, nearest: string): boolean {
  if (transform === 'asymmetric') return nearest === 'floor';
  // (i + ½)/s − ½ lies strictly within ½ of ⌊i/s⌋, so any rounding picks it.
  return (transform === 'half_pixel' || transform === 'pytorch_half_pixel') && nearest.startsWith('round');
}

function resize(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const a = ctx.node.attrs;
  const mode = a.string('mode', 'nearest');
  const upsample = ctx.node.opType === 'Upsample';
  const transform = upsample ? 'asymmetric' : a.string('coordinate_transformation_mode', 'half_pixel');
  const nearest = upsample ? 'floor' : a.string('nearest_mode', 'round_prefer_floor');
  if (mode === 'nearest' && !repeatsExactly(transform, nearest))
    refuse(`nearest resizing with ${transform} coordinates and ${nearest} rounding does not repeat pixels`);
  if (mode === 'linear' && transform !== 'asymmetric')
    refuse(
      `linear resizing with ${transform} coordinates differs from tfjs's bilinear (asymmetric: PyTorch's align_corners=True is neither)`,
    );
  if (mode !== 'nearest' && mode !== 'linear') refuse(`mode "${mode}" has no tfjs equivalent`);
  if (!upsample && a.int('antialias', 0)) refuse('antialiasing has no tfjs equivalent');
  const scalesAt = upsample && ctx.opset < 9 ? null : upsample ? 1 : 2;
  const scales =
    scalesAt === null
      ? a.floats('scales')
      : ctx.node.inputs[scalesAt] && ctx.constant(scalesAt)?.data.length
        ? Array.from(ctx.constant(scalesAt)!.data as ArrayLike<number>)
        : null;
  const sizes = !upsample && ctx.node.inputs[3] ? ctx.constant(3) : null;
  const factors = new Map<number, number>();
  for (let i = 0; i < storedRank(x); i++) {
    const logical = logicalAxis(x, i);
    const inSize = logical && logical > 0 ? x.shape[logical - 1] : null;
    const f = scales
      ? scales[i]
      : sizes && inSize
        ? (sizes.data[i] as number) / inSize
        : refuse('only constant scales (or sizes of a known input) can be imported');
    if (f === 1) continue;
    const rank = x.shape.length - 1;
    if (logical === null || logical < 1 || logical > rank) refuse('it resizes the batch or channel axis');
    if (!Number.isInteger(f) || f < 1) refuse(`it scales an axis by ${f}, not a whole factor`);
    factors.set(logical!, f);
  }
  const rank = x.shape.length - 1;
  if (x.unitAxes || x.order || rank < 1 || rank > 2)
    refuse('only sequences and images can be upsampled (UpSampling1D/2D)');
  if (rank === 1 && mode === 'linear') refuse('UpSampling1D repeats steps; linear resizing has no layer');
  const size = Array.from({ length: rank }, (_, i) => factors.get(i + 1) ?? 1);
  const params: Params =
    rank === 1
      ? { size: size[0] }
      : { size: compact(size), interpolation: mode === 'linear' ? 'bilinear' : 'nearest' };
  const id = ctx.add(`UpSampling${rank}D`, params, [x]);
  ctx.set(0, { ...x, node: id, shape: ctx.shapeOf(id) });
}

export const upsamplingHandlers = [
  ...handles(['ConvTranspose'], convTranspose),
  ...handles(['Resize', 'Upsample'], resize),
];
