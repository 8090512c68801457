// A 3×3, stride-1 Conv2D with input and output channels in fours on the WebAssembly backend, as
// Winograd's F(4×4, 3×3) or F(2×2, 3×3) (simd/winograd.wat): each 6×6 (4×4) input tile and the filter
// are transformed so that 4×4 outputs cost 36 multiply-adds per channel pair (2×2 outputs 16) instead
// of 144 (36), where XNNPACK computes the direct convolution. Residual and VGG-style convnets are
// made of such layers, and their input gradients too reach Conv2D (conv2d-backprop-input.ts runs
// stride 1 as a convolution of dy); their filter gradients take the same algorithm transposed
// (winogradFilterGradient). Measured against XNNPACK and convFilterTap in
// bench/KERNEL-MEASUREMENTS.md; every other convolution passes through.
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

type Rows = Float32Array | Float64Array;

/** A Winograd algorithm F(m×m, 3×3): output tiles of m×m from α×α input tiles, α = m + 2. */
interface Variant {
  m: 2 | 4;
  /** G · (x0, x1, x2), G the filter's transform (α × 3, U = G g Gᵀ): α values at out[o + k·s]. */
  taps(x0: number, x1: number, x2: number, out: Rows, o: number, s: number): void;
  /** Gᵀ · (α values at d[i + k·s]): 3 values at out[o + j·t]. */
  untaps(d: Rows, i: number, s: number, out: Rows, o: number, t: number): void;
}

// G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
const F2: Variant = {
  m: 2,
  taps(x0, x1, x2, out, o, s) {
    const h = 0.5 * (x0 + x2);
    out[o] = x0;
    out[o + s] = h + 0.5 * x1;
    out[o + 2 * s] = h - 0.5 * x1;
    out[o + 3 * s] = x2;
  },
  untaps(d, i, s, out, o, t) {
    const h = 0.5 * (d[i + s] + d[i + 2 * s]);
    out[o] = d[i] + h;
    out[o + t] = 0.5 * (d[i + s] - d[i + 2 * s]);
    out[o + 2 * t] = h + d[i + 3 * s];
  },
};

// G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1].
const F4: Variant = {
  m: 4,
  taps(x0, x1, x2, out, o, s) {
    const p = x0 + x2;
    const q = x0 / 24 + x2 / 6;
    out[o] = x0 / 4;
    out[o + s] = -(p + x1) / 6;
    out[o + 2 * s] = -(p - x1) / 6;
    out[o + 3 * s] = q + x1 / 12;
    out[o + 4 * s] = q - x1 / 12;
    out[o + 5 * s] = x2;
  },
  untaps(d, i, s, out, o, t) {
    const [d0, d1, d2, d3, d4, d5] = [d[i], d[i + s], d[i + 2 * s], d[i + 3 * s], d[i + 4 * s], d[i + 5 * s]];
    out[o] = d0 / 4 - (d1 + d2) / 6 + (d3 + d4) / 24;
    out[o + t] = (d2 - d1) / 6 + (d3 - d4) / 12;
    out[o + 2 * t] = (d3 + d4 - d1 - d2) / 6 + d5;
  },
};

/** For tests and measurements: force one algorithm (undefined: choose by the output's size). */
let FORCED: 2 | 4 | undefined;
export function setWinogradTile(m: 2 | 4 | undefined): void {
  FORCED = m;
}

/**
 * F(4×4, 3×3) for convolutions whose output is at least 7 wide and high, and for filter gradients at
 * least 16: below that, F(2×2, 3×3) measured faster (edge tiles are mostly padding, and the filter
 * gradient's products run over too few tiles per block). A convolution's float32 error under
 * F(4×4, 3×3) grows with its input channels (the products' depth): ~3e-6 of the output's scale at 16,
 * ~1e-5 at 32, 1–2e-5 at 64 against F(2×2)'s ~1e-6 (bench/KERNEL-MEASUREMENTS.md); so at most 32.
 * The filter gradient's error stays at F(2×2)'s (sums over tiles in blocks).
 */
function variantFor(g: WindowGeometry, least: number, deepest: number): Variant {
  const m = FORCED ?? (Math.min(g.OH, g.OW) >= least && g.C <= deepest ? 4 : 2);
  return m === 4 ? F4 : F2;
}

/** U = G g Gᵀ for every channel pair: [α² (ξ = α·a + b), C, CO] from the filter [3, 3, C, CO]. */
function transformFilter(w: Variant, f: Float32Array, u: Float32Array, pairs: number): void {
  const al = w.m + 2;
  const r = new Float64Array(3 * al);
  for (let e = 0; e < pairs; e++) {
    // r = G g: α × 3
    for (let c = 0; c < 3; c++)
      w.taps(f[c * pairs + e], f[(3 + c) * pairs + e], f[(6 + c) * pairs + e], r, c, 3);
    for (let a = 0; a < al; a++) w.taps(r[3 * a], r[3 * a + 1], r[3 * a + 2], u, al * a * pairs + e, pairs);
  }
}

/** dW = Gᵀ dU G for every channel pair: the filter [3, 3, C, CO] from dU [α², C, CO]. */
function transformFilterGradient(w: Variant, du: Float32Array, dw: Float32Array, pairs: number): void {
  const al = w.m + 2;
  const r = new Float64Array(3 * al);
  for (let e = 0; e < pairs; e++) {
    // r = dU G: α × 3
    for (let a = 0; a < al; a++) w.untaps(du, al * a * pairs + e, pairs, r, 3 * a, 1);
    for (let j = 0; j < 3; j++) w.untaps(r, j, 3, dw, j * pairs + e, 3 * pairs);
  }
}

/** Tiles per block (even): a block's transformed inputs and products stay within ~64 KiB each. */
const blockTiles = (C: number, CO: number, xis: number) =>
  Math.max(2, Math.min(64, 2 * Math.floor(8192 / (xis * Math.max(C, CO)))));

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

/** Run `each` over the output's m×m tiles in blocks, on scratch space for v and m (freed after). */
function inBlocks(backend: BackendWasm, g: WindowGeometry, w: Variant, each: (b: Block) => void): void {
  const TH = Math.ceil(g.OH / w.m);
  const TW = Math.ceil(g.OW / w.m);
  const tiles = g.N * TH * TW;
  const xis = (w.m + 2) ** 2;
  const ts = blockTiles(g.C, g.CO, xis);
  // v and m per ξ: ts tiles plus 64 bytes (winograd.wat's row pad).
  const scratch = allocF32(backend, [xis * (ts * (g.C + g.CO) + 32)]);
  const pv = heapOffset(backend, scratch);
  const pm = pv + xis * (ts * g.C * 4 + 64);
  for (let t0 = 0; t0 < tiles; t0 += ts) each({ t0, tb: Math.min(ts, tiles - t0), ts, pv, pm, TH, TW });
  free(backend, scratch);
}

function winogradConv2D(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, g: WindowGeometry) {
  const k = winogradKernels(backend);
  if (!k) return null;
  const { N, H, W, C, OH, OW, CO, top, left } = g;
  const w = variantFor(g, 7, 32);
  const xis = (w.m + 2) ** 2;
  const [input, output] = w.m === 4 ? [k.wg4Input, k.wg4Output] : [k.wgInput, k.wgOutput];
  const u = allocF32(backend, [xis, C, CO]);
  const out = allocF32(backend, [N, OH, OW, CO]);
  transformFilter(w, heapF32(backend, filter), heapF32(backend, u), C * CO);
  const [px, pu, py] = [heapOffset(backend, x), heapOffset(backend, u), heapOffset(backend, out)];
  inBlocks(backend, g, w, ({ t0, tb, ts, pv, pm, TH, TW }) => {
    input(px, pv, H, W, C, TH, TW, top, left, t0, tb, ts);
    k.wgMul(pv, pu, pm, C, CO, tb + (tb & 1), ts, xis);
    output(pm, py, OH, OW, CO, TH, TW, t0, tb, ts);
  });
  free(backend, u);
  return out;
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
  const w = variantFor(g, 16, Infinity);
  const xis = (w.m + 2) ** 2;
  const [input, gradOutput] = w.m === 4 ? [k.wg4Input, k.wg4GradOutput] : [k.wgInput, k.wgGradOutput];
  const du = allocF32(backend, [xis, C, CO]);
  const out = allocF32(backend, [3, 3, C, CO]);
  heapF32(backend, du).fill(0);
  const [px, pdy, pdu] = [heapOffset(backend, x), heapOffset(backend, dy), heapOffset(backend, du)];
  inBlocks(backend, g, w, ({ t0, tb, ts, pv, pm, TH, TW }) => {
    input(px, pv, H, W, C, TH, TW, top, left, t0, tb, ts);
    gradOutput(pdy, pm, OH, OW, CO, TH, TW, t0, tb, ts);
    k.wgGradMul(pv, pm, pdu, C, CO, tb, ts, xis);
  });
  transformFilterGradient(w, heapF32(backend, du), heapF32(backend, out), C * CO);
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
