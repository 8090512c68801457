// Conv2D of a one-channel input on the WebAssembly backend (the first layer of an image or signal
// model: MNIST digits, a Conv1D on a raw signal) in the project's SIMD kernel (kernels.wat
// conv2dOneChannel) instead of XNNPACK, whose general path is slower on such inputs
// (bench/KERNEL-MEASUREMENTS.md). Other convolutions, dilated ones and output channels not in fours
// pass through to the backend's kernel. Training only reaches it: inference runs FusedConv2D.
import { allocF32, wrapWasmKernel, type KernelFn, type TensorInfo } from './wasm-heap.ts';
import { heapOffset, simdKernels } from './simd/module.ts';
import { convInfo, type WindowAttrs } from './window-geometry.ts';

export function makeOneChannelConv2D(original: KernelFn): KernelFn {
  return (args) => {
    const { x, filter } = args.inputs;
    const attrs = args.attrs as WindowAttrs;
    if (
      x.dtype !== 'float32' ||
      x.shape.length !== 4 ||
      x.shape[3] !== 1 ||
      (attrs.dataFormat ?? 'NHWC') !== 'NHWC' ||
      filter.shape[3] % 4 !== 0
    )
      return original(args);
    const c = convInfo(x.shape, filter.shape, attrs);
    if (c.dilationHeight !== 1 || c.dilationWidth !== 1 || c.outHeight * c.outWidth * c.batchSize === 0)
      return original(args);
    const simd = simdKernels(args.backend);
    if (!simd) return original(args);
    const out: TensorInfo = allocF32(args.backend, c.outShape);
    simd.conv2dOneChannel(
      heapOffset(args.backend, x),
      heapOffset(args.backend, filter),
      heapOffset(args.backend, out),
      c.batchSize,
      c.inHeight,
      c.inWidth,
      c.outHeight,
      c.outWidth,
      c.filterHeight,
      c.filterWidth,
      c.outChannels,
      c.strideHeight,
      c.strideWidth,
      c.padInfo.top,
      c.padInfo.left,
    );
    return out;
  };
}

/** Put the one-channel path in front of the wasm Conv2D (and its other wrappers). */
export function registerWasmOneChannelConv2D(): void {
  wrapWasmKernel('Conv2D', makeOneChannelConv2D, 'one-channel');
}
