// A 3×3, stride-1 Conv2D with input and output channels in fours on the WebAssembly backend, as
// Winograd's F(2×2, 3×3) (simd/winograd.wat): each 4×4 input tile and the filter are transformed so
// that 2×2 outputs cost 16 multiply-adds per channel pair instead of 36, where XNNPACK computes the
// direct convolution. Residual and VGG-style convnets are made of such layers, and their input
// gradients too reach Conv2D (conv2d-backprop-input.ts runs stride 1 as a convolution of dy); their
// filter gradients take the same algorithm transposed (winogradFilterGradient). Measured against
// XNNPACK and convFilterTap in bench/KERNEL-MEASUREMENTS.md; every other convolution passes through.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, free, heapF32, wrapWasmKernel, type KernelFn, type TensorInfo } from './wasm-heap.ts';
import { heapOffset, winogradKernels } from './simd/module.ts';
import { convInfo, windowGeometry, type WindowAttrs, type WindowGeometry } from './window-geometry.ts';

/** For tests and measurements: false leaves every convolution to the backend's kernel. */
let ENABLED = true;
export function setWinogradConv2D(on: boolean): void {
  ENABLED = on;
}

/** Whether a convolution of this geometry runs here (given float32 NHWC data and the path on). */
export function winogradTakes(g: WindowGeometry): boolean {
  return (
    ENABLED &&
    g.KH === 3 &&
    g.KW === 3 &&
    g.sh === 1 &&
    g.sw === 1 &&
    g.dh === 1 &&
    g.dw === 1 &&
    g.C % 4 === 0 &&
    g.CO % 4 === 0 &&
    g.N * g.OH * g.OW * g.C * g.CO > 0
  );
}

const applies = (x: TensorInfo, g: WindowGeometry, dataFormat: string | undefined) =>
  x.dtype === 'float32' && (dataFormat ?? 'NHWC') === 'NHWC' && winogradTakes(g);

/** U = G g Gᵀ for every channel pair: [16 (ξ = 4a + b), C, CO] from the filter [3, 3, C, CO],
 *  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]. */
function transformFilter(f: Float32Array, u: Float32Array, pairs: number): void {
  const g = new Array<number>(9);
  const r = new Array<number>(12);
  for (let e = 0; e < pairs; e++) {
    for (let k = 0; k < 9; k++) g[k] = f[k * pairs + e];
    for (let c = 0; c < 3; c++) {
      const g0 = g[c];
      const g1 = g[3 + c];
      const g2 = g[6 + c];
      r[c] = g0;
      r[3 + c] = 0.5 * (g0 + g1 + g2);
      r[6 + c] = 0.5 * (g0 - g1 + g2);
      r[9 + c] = g2;
    }
    for (let a = 0; a < 4; a++) {
      const r0 = r[3 * a];
      const r1 = r[3 * a + 1];
      const r2 = r[3 * a + 2];
      const o = 4 * a * pairs + e;
      u[o] = r0;
      u[o + pairs] = 0.5 * (r0 + r1 + r2);
      u[o + 2 * pairs] = 0.5 * (r0 - r1 + r2);
      u[o + 3 * pairs] = r2;
    }
  }
}

/** Tiles per block (even): a block's transformed inputs and products stay within ~64 KiB each. */
const blockTiles = (C: number, CO: number) =>
  Math.max(2, Math.min(64, 2 * Math.floor(512 / Math.max(C, CO))));

interface Block {
  /** The block's first tile (global index), its tile count, and the tile capacity of v and m. */
  t0: number;
  tb: number;
  ts: number;
  /** The transformed inputs v and the products (or transformed dy) m, byte offsets. */
  pv: number;
  pm: number;
  /** Tiles per image column and row. */
  TH: number;
  TW: number;
}

/** Run `each` over the output's 2×2 tiles in blocks, on scratch space for v and m (freed after). */
function inBlocks(backend: BackendWasm, g: WindowGeometry, each: (b: Block) => void): void {
  const TH = Math.ceil(g.OH / 2);
  const TW = Math.ceil(g.OW / 2);
  const tiles = g.N * TH * TW;
  const ts = blockTiles(g.C, g.CO);
  // v and m per ξ: ts tiles plus 64 bytes (winograd.wat's row pad).
  const scratch = allocF32(backend, [16 * (ts * (g.C + g.CO) + 32)]);
  const pv = heapOffset(backend, scratch);
  const pm = pv + 16 * (ts * g.C * 4 + 64);
  for (let t0 = 0; t0 < tiles; t0 += ts) each({ t0, tb: Math.min(ts, tiles - t0), ts, pv, pm, TH, TW });
  free(backend, scratch);
}

function winogradConv2D(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, g: WindowGeometry) {
  const k = winogradKernels(backend);
  if (!k) return null;
  const { N, H, W, C, OH, OW, CO, top, left } = g;
  const u = allocF32(backend, [16, C, CO]);
  const out = allocF32(backend, [N, OH, OW, CO]);
  transformFilter(heapF32(backend, filter), heapF32(backend, u), C * CO);
  const [px, pu, py] = [heapOffset(backend, x), heapOffset(backend, u), heapOffset(backend, out)];
  inBlocks(backend, g, ({ t0, tb, ts, pv, pm, TH, TW }) => {
    k.wgInput(px, pv, H, W, C, TH, TW, top, left, t0, tb, ts);
    k.wgMul(pv, pu, pm, C, CO, tb + (tb & 1), ts);
    k.wgOutput(pm, py, OH, OW, CO, TH, TW, t0, tb, ts);
  });
  free(backend, u);
  return out;
}

/** dW = Gᵀ dU G for every channel pair: the filter [3, 3, C, CO] from dU [16, C, CO]. */
function transformFilterGradient(du: Float32Array, dw: Float32Array, pairs: number): void {
  const d = new Array<number>(16);
  const r = new Array<number>(12);
  for (let e = 0; e < pairs; e++) {
    for (let q = 0; q < 16; q++) d[q] = du[q * pairs + e];
    for (let b = 0; b < 4; b++) {
      const h = 0.5 * (d[4 + b] + d[8 + b]);
      r[b] = d[b] + h;
      r[4 + b] = 0.5 * (d[4 + b] - d[8 + b]);
      r[8 + b] = h + d[12 + b];
    }
    for (let a = 0; a < 3; a++) {
      const h = 0.5 * (r[4 * a + 1] + r[4 * a + 2]);
      const o = 3 * a * pairs + e;
      dw[o] = r[4 * a] + h;
      dw[o + pairs] = 0.5 * (r[4 * a + 1] - r[4 * a + 2]);
      dw[o + 2 * pairs] = h + r[4 * a + 3];
    }
  }
}

/**
 * Conv2DBackpropFilter of a convolution this path takes (conv2d-backprop-filter.ts asks first):
 * dU[ξ] = Σ over tiles of (Bᵀ x B)[ξ]ᵀ · (A dy Aᵀ)[ξ], then dW = Gᵀ dU G. Null where it does not apply.
 */
export function winogradFilterGradient(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  g: WindowGeometry,
): TensorInfo | null {
  if (!applies(x, g, 'NHWC')) return null;
  const k = winogradKernels(backend);
  if (!k) return null;
  const { H, W, C, OH, OW, CO, top, left } = g;
  const du = allocF32(backend, [16, C, CO]);
  const out = allocF32(backend, [3, 3, C, CO]);
  heapF32(backend, du).fill(0);
  const [px, pdy, pdu] = [heapOffset(backend, x), heapOffset(backend, dy), heapOffset(backend, du)];
  inBlocks(backend, g, ({ t0, tb, ts, pv, pm, TH, TW }) => {
    k.wgInput(px, pv, H, W, C, TH, TW, top, left, t0, tb, ts);
    k.wgGradOutput(pdy, pm, OH, OW, CO, TH, TW, t0, tb, ts);
    k.wgGradMul(pv, pm, pdu, C, CO, tb, ts);
  });
  transformFilterGradient(heapF32(backend, du), heapF32(backend, out), C * CO);
  free(backend, du);
  return out;
}

export function makeWinogradConv2D(original: KernelFn): KernelFn {
  return (args) => {
    const { x, filter } = args.inputs;
    const attrs = args.attrs as WindowAttrs;
    if (!ENABLED || x.shape.length !== 4 || filter.shape.length !== 4) return original(args);
    const g = windowGeometry(convInfo(x.shape, filter.shape, attrs));
    if (!applies(x, g, attrs.dataFormat)) return original(args);
    return winogradConv2D(args.backend, x, filter, g) ?? original(args);
  };
}

/** Put the Winograd path in front of the wasm Conv2D (and its other wrappers). */
export function registerWasmWinogradConv2D(): void {
  wrapWasmKernel('Conv2D', makeWinogradConv2D, 'winograd');
}
