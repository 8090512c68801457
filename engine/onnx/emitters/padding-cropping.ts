// ZeroPadding2D as Pad and Cropping2D as Slice, on the spatial axes of a channels-first input (where
// a conv or pool before it left it), so no Transpose is added between them.
import {
  edgeAmounts,
  type Cropping2DParams,
  type ZeroPadding2DParams,
} from '../../layers/padding-cropping.ts';
import type { OnnxEmitter } from '../emitter-types.ts';
import { channelsFirstPerm } from '../layout.ts';

const NCHW = channelsFirstPerm(4);

export const zeroPaddingOnnx: OnnxEmitter<ZeroPadding2DParams> = {
  emit(ctx) {
    const [h, w] = edgeAmounts(ctx.params);
    const pads = ctx.intConst('pads', [0, 0, h, w, 0, 0, h, w]);
    return { name: ctx.op('Pad', [ctx.input(0, NCHW), pads]), perm: NCHW };
  },
};

export const croppingOnnx: OnnxEmitter<Cropping2DParams> = {
  emit(ctx) {
    const [h, w] = edgeAmounts(ctx.params);
    // A crop of 0 ends at the last row: Slice clamps an end past the axis.
    const end = (k: number) => (k ? -k : Number.MAX_SAFE_INTEGER);
    const inputs = [
      ctx.input(0, NCHW),
      ctx.intConst('starts', [h, w]),
      ctx.intConst('ends', [end(h), end(w)]),
      ctx.intConst('axes', [2, 3]),
    ];
    return { name: ctx.op('Slice', inputs), perm: NCHW };
  },
};
