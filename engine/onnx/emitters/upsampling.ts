// UpSampling1D/2D as Resize with tfjs's coordinates: 'asymmetric' (source = output / scale, as
// tf.image.resize* computes without alignCorners or halfPixelCenters) and, for nearest, 'floor', so
// every pixel is repeated exactly. UpSampling1D works in whatever layout its input is stored;
// UpSampling2D reads channels-first, where onnxruntime's linear mode is defined and a conv left it.
import type { UpSampling1DParams, UpSampling2DParams } from '../../layers/upsampling.ts';
import { tuple } from '../../layers/params.ts';
import type { EmitContext, OnnxEmitter } from '../emitter-types.ts';
import { channelsFirstPerm } from '../layout.ts';

const NCHW = channelsFirstPerm(4);

function resize(ctx: EmitContext, x: string, scales: number[], mode: 'nearest' | 'linear'): string {
  const s = ctx.floatConst('scales', scales, [scales.length]);
  return ctx.op('Resize', [x, '', s], {
    mode,
    coordinate_transformation_mode: 'asymmetric',
    ...(mode === 'nearest' ? { nearest_mode: 'floor' } : {}),
  });
}

export const upSampling1dOnnx: OnnxEmitter<UpSampling1DParams> = {
  emit(ctx) {
    const x = ctx.storedInput(0);
    const scales = x.perm.map((axis) => (axis === 1 ? ctx.params.size : 1));
    return { name: resize(ctx, x.name, scales, 'nearest'), perm: x.perm };
  },
};

export const upSampling2dOnnx: OnnxEmitter<UpSampling2DParams> = {
  emit(ctx) {
    const [h, w] = tuple(ctx.params.size, 2);
    const mode = ctx.params.interpolation === 'bilinear' ? 'linear' : 'nearest';
    return { name: resize(ctx, ctx.input(0, NCHW), [1, 1, h, w], mode), perm: NCHW };
  },
};
