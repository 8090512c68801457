// The geometry of a sliding-window op on NHWC tensors (convolution or pooling), read once from
// tfjs's Conv2DInfo (computeConv2DInfo and computePool2DInfo both give one) under the short names
// the kernels' loops use.
import * as tf from '@tensorflow/tfjs';

type Pair = [number, number];

/** The window attributes tfjs passes to Conv2D, the pools and their gradient kernels. */
// A type, not an interface, so that tfjs' Record<string, unknown> attrs convert to it.
export type WindowAttrs = {
  strides: number | Pair;
  dilations?: number | Pair;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: string;
};

/** tfjs' Conv2DInfo of an NHWC input and a filter under `attrs` (depthwise: the filter's last axis
 *  multiplies the channels). */
export function convInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: WindowAttrs,
  depthwise = false,
): tf.backend_util.Conv2DInfo {
  type Shape4 = [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
}

export interface WindowGeometry {
  N: number;
  H: number;
  W: number;
  /** Input channels. */
  C: number;
  OH: number;
  OW: number;
  /** Output channels. */
  CO: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  /** Padding before the first row / column ('same' pads asymmetrically). */
  top: number;
  left: number;
}

export function windowGeometry(info: tf.backend_util.Conv2DInfo): WindowGeometry {
  return {
    N: info.batchSize,
    H: info.inHeight,
    W: info.inWidth,
    C: info.inChannels,
    OH: info.outHeight,
    OW: info.outWidth,
    CO: info.outChannels,
    KH: info.filterHeight,
    KW: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/** The geometry arguments of kernels.wat's im2colT, in its order (after x, cols, n0, nc). */
export const im2colGeometryArgs = (g: WindowGeometry) =>
  [g.H, g.W, g.C, g.OH, g.OW, g.KH, g.KW, g.sh, g.sw, g.dh, g.dw, g.top, g.left] as const;
