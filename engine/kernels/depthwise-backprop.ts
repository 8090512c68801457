// DepthwiseConv2dNative gradients for the WebAssembly backend (it has neither), as direct loops on
// the heap. Depthwise convolutions do CI·DM multiply-adds per output pixel and tap, a small share of
// a model's work, so plain loops in the order of memory are enough here.
import { allocF32, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { convInfo, windowGeometry, type WindowAttrs } from './window-geometry.ts';

interface Attrs extends WindowAttrs {
  dilations: [number, number] | number;
}

function info(xShape: number[], filterShape: number[], a: Attrs) {
  return convInfo(xShape, filterShape, a, true);
}

/** Calls fn(xOffset, dyOffset, filterOffset) for every input pixel / output pixel / tap that meet. */
function forEachTap(c: ReturnType<typeof info>, fn: (xo: number, yo: number, fo: number) => void): void {
  const { N, H, W, C: CI, OH, OW, CO, KH, KW, sh, sw, dh, dw, top, left } = windowGeometry(c);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * sh + kh * dh - top;
        if (ih < 0 || ih >= H) continue;
        for (let ow = 0; ow < OW; ow++) {
          const yo = ((n * OH + oh) * OW + ow) * CO;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw * dw - left;
            if (iw < 0 || iw >= W) continue;
            fn(((n * H + ih) * W + iw) * CI, yo, (kh * KW + kw) * CO);
          }
        }
      }
    }
  }
}

export function depthwiseConv2dNativeBackpropFilter({
  inputs,
  backend,
  attrs,
}: WasmKernelArgs<Attrs & { filterShape: number[] }>): TensorInfo {
  const { x, dy } = inputs;
  const c = info(x.shape, attrs.filterShape, attrs);
  const CI = c.inChannels;
  const DM = c.outChannels / CI;
  const out = allocF32(backend, attrs.filterShape);
  const dw = heapF32(backend, out);
  const xv = heapF32(backend, x);
  const dyv = heapF32(backend, dy);
  dw.fill(0);
  // filter [KH, KW, CI, DM] flattens like dy's channel axis (ci·DM + dm), so one offset serves both.
  forEachTap(c, (xo, yo, fo) => {
    for (let ci = 0; ci < CI; ci++) {
      const xval = xv[xo + ci];
      const base = ci * DM;
      for (let m = 0; m < DM; m++) dw[fo + base + m] += xval * dyv[yo + base + m];
    }
  });
  return out;
}

export function depthwiseConv2dNativeBackpropInput({
  inputs,
  backend,
  attrs,
}: WasmKernelArgs<Attrs & { inputShape: number[] }>): TensorInfo {
  const { dy, filter } = inputs;
  const c = info(attrs.inputShape, filter.shape, attrs);
  const CI = c.inChannels;
  const DM = c.outChannels / CI;
  const out = allocF32(backend, attrs.inputShape);
  const dx = heapF32(backend, out);
  const fv = heapF32(backend, filter);
  const dyv = heapF32(backend, dy);
  dx.fill(0);
  forEachTap(c, (xo, yo, fo) => {
    for (let ci = 0; ci < CI; ci++) {
      const base = ci * DM;
      let s = 0;
      for (let m = 0; m < DM; m++) s += fv[fo + base + m] * dyv[yo + base + m];
      dx[xo + ci] += s;
    }
  });
  return out;
}
