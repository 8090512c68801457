// The WebAssembly backend hands tfjs 'same' padding to XNNPACK as its TensorFlow-SAME flag, and
// XNNPACK then computes zeros when a stride is longer than the window (a 2×2 kernel with stride 3).
// Given as explicit numbers, the same pads work: these wrappers pass tfjs's own 'same' pads that way
// in that case. test/perf/wasm-kernels.test.ts compares them with the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { wrapWasmKernel, type KernelFn } from './wasm-heap.ts';

type Pair = [number, number];

function explicitSame(original: KernelFn, depthwise: boolean): KernelFn {
  return (args) => {
    const { x, filter } = args.inputs;
    const { strides, dilations, pad, dimRoundingMode } = args.attrs as {
      strides: number | Pair;
      dilations?: number | Pair;
      pad: unknown;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    if (pad !== 'same') return original(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      dilations ?? 1,
      'same',
      dimRoundingMode,
      depthwise,
    );
    const longStride =
      info.strideHeight > info.effectiveFilterHeight || info.strideWidth > info.effectiveFilterWidth;
    if (!longStride) return original(args);
    const { top, bottom, left, right } = info.padInfo;
    const explicit = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    return original({ ...args, attrs: { ...args.attrs, pad: explicit } });
  };
}

export function registerWasmSamePadding(): void {
  wrapWasmKernel('Conv2D', (k) => explicitSame(k, false));
  wrapWasmKernel('FusedConv2D', (k) => explicitSame(k, false));
  wrapWasmKernel('DepthwiseConv2dNative', (k) => explicitSame(k, true));
  wrapWasmKernel('FusedDepthwiseConv2D', (k) => explicitSame(k, true));
}
