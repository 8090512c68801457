// Emitters for convolution and pooling. ONNX Conv/Pool want channels first (NCHW / NCW), so they take
// their input channels-first and leave their output channels-first: the context transposes only at
// the boundaries of a conv/pool run.
import type { ConvParams } from '../../layers/conv.ts';
import type { PoolParams } from '../../layers/pooling.ts';
import { tuple } from '../../layers/params.ts';
import { activationProblem, emitActivation } from '../activations.ts';
import type { OnnxEmitter, WeightTensor } from '../emitter-types.ts';
import { channelsFirstPerm, samePerm } from '../layout.ts';
import { reduce } from '../ops.ts';
import { windowPadding } from '../padding.ts';

/** tfjs kernel [k1..kr, in, out] → ONNX [out, in, k1..kr]. */
export function kernelToOnnx(kernel: WeightTensor): { data: Float32Array; dims: number[] } {
  const dims = kernel.shape;
  const outCh = dims[dims.length - 1];
  const inCh = dims[dims.length - 2];
  const taps = dims.slice(0, -2).reduce((a, b) => a * b, 1);
  const src = kernel.data;
  const dst = new Float32Array(src.length);
  for (let s = 0; s < taps; s++) {
    for (let i = 0; i < inCh; i++) {
      const from = (s * inCh + i) * outCh;
      for (let o = 0; o < outCh; o++) dst[(o * inCh + i) * taps + s] = src[from + o];
    }
  }
  return { data: dst, dims: [outCh, inCh, ...dims.slice(0, -2)] };
}

const PADDINGS = ['valid', 'same', 'causal'];

export function convOnnx(rank: 1 | 2 | 3): OnnxEmitter<ConvParams> {
  return {
    check: ({ params }) => {
      const problems: string[] = [];
      const act = activationProblem(params.activation);
      if (act) problems.push(act);
      if (!PADDINGS.includes(params.padding))
        problems.push(`padding "${params.padding}" has no ONNX equivalent in Netwright yet`);
      return problems;
    },
    emit(ctx) {
      const p = ctx.params;
      const perm = channelsFirstPerm(rank + 2);
      const x = ctx.input(0, perm);
      const kernel = kernelToOnnx(ctx.weight('kernel'));
      const w = ctx.floatConst('kernel', kernel.data, kernel.dims);
      const b = p.useBias ? ctx.floatConst('bias', ctx.weight('bias').data, [p.filters]) : null;
      const kernelShape = tuple(p.kernelSize, rank);
      const strides = tuple(p.strides, rank);
      const dilations = tuple(p.dilationRate, rank);
      const padding = windowPadding(p.padding, ctx.inputShapes[0].slice(0, rank), {
        kernel: kernelShape,
        strides,
        dilations,
      });
      const y = ctx.op('Conv', b ? [x, w, b] : [x, w], {
        kernel_shape: kernelShape,
        strides,
        dilations,
        group: 1,
        ...padding,
      });
      return { name: emitActivation(ctx, y, p.activation, 1), perm };
    },
  };
}

export function poolOnnx(rank: 1 | 2 | 3, kind: 'max' | 'average'): OnnxEmitter<PoolParams> {
  return {
    check: ({ params }) =>
      PADDINGS.slice(0, 2).includes(params.padding)
        ? []
        : [`padding "${params.padding}" has no ONNX equivalent in Netwright yet`],
    emit(ctx) {
      const p = ctx.params;
      const perm = channelsFirstPerm(rank + 2);
      const x = ctx.input(0, perm);
      const kernelShape = tuple(p.poolSize, rank);
      const strides = tuple(p.strides ?? p.poolSize, rank);
      const padding = windowPadding(p.padding, ctx.inputShapes[0].slice(0, rank), {
        kernel: kernelShape,
        strides,
      });
      const attrs = { kernel_shape: kernelShape, strides, ...padding };
      // tfjs averages 'same' windows over the real pixels only: count_include_pad = 0.
      const y =
        kind === 'max'
          ? ctx.op('MaxPool', [x], attrs)
          : ctx.op('AveragePool', [x], { ...attrs, count_include_pad: 0 });
      return { name: y, perm };
    },
  };
}

/**
 * Global pooling to [batch, channels]. A channels-first input (after a conv) uses GlobalAveragePool /
 * GlobalMaxPool; a tfjs-layout input is reduced over its spatial axes directly, without a transpose.
 */
export function globalPoolOnnx(rank: 1 | 2 | 3, kind: 'max' | 'average'): OnnxEmitter {
  return {
    emit(ctx) {
      const stored = ctx.storedInput(0);
      const full = rank + 2;
      if (samePerm(stored.perm, channelsFirstPerm(full))) {
        const pooled = ctx.op(kind === 'max' ? 'GlobalMaxPool' : 'GlobalAveragePool', [
          ctx.input(0, channelsFirstPerm(full)),
        ]);
        return ctx.op('Flatten', [pooled], { axis: 1 });
      }
      const spatialAxes = Array.from({ length: rank }, (_, i) => i + 1);
      return reduce(ctx, kind === 'max' ? 'ReduceMax' : 'ReduceMean', ctx.input(0), spatialAxes, 0);
    },
  };
}
