// The WebAssembly backend hands tfjs 'same' padding to XNNPACK as its TensorFlow-SAME flag, and
// XNNPACK then computes zeros when a stride is longer than the window (a 2×2 kernel with stride 3).
// Given as explicit numbers, the same pads work: these wrappers pass tfjs's own 'same' pads that way
// in that case. test/perf/wasm-kernels.test.ts compares them with the cpu backend.
import { wrapWasmKernel, type KernelFn } from './wasm-heap.ts';
import { convInfo, type WindowAttrs } from './window-geometry.ts';

function explicitSame(original: KernelFn, depthwise: boolean): KernelFn {
  return (args) => {
    const { x, filter } = args.inputs;
    const attrs = args.attrs as WindowAttrs;
    if (attrs.pad !== 'same') return original(args);
    const info = convInfo(x.shape, filter.shape, attrs, depthwise);
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
