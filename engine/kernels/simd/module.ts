// The project's own WebAssembly kernels (kernels.wat), instantiated on the tfjs WebAssembly backend's
// memory so they read and write tensors in place. Null where the backend's memory is not reachable
// or the engine lacks WebAssembly SIMD; callers then keep their JavaScript loops.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels.wasm.ts';
import { RECURRENT_RELAXED_WASM_BASE64, RECURRENT_WASM_BASE64 } from './recurrent.wasm.ts';
import { WINOGRAD_RELAXED_WASM_BASE64, WINOGRAD_WASM_BASE64 } from './winograd.wasm.ts';
import { DENSE_WASM_BASE64 } from './dense.wasm.ts';
import { CONV_RELAXED_WASM_BASE64, CONV_WASM_BASE64 } from './conv.wasm.ts';
import { BATCHNORM_WASM_BASE64 } from './batchnorm.wasm.ts';
import { setV8Flag } from '../../v8-flag.ts';

/** matStrided's arguments: out [M, N] (+)= aᵀ·b over K, a read through the strides sk and sm. */
type StridedProduct = [
  a: number,
  b: number,
  out: number,
  K: number,
  M: number,
  N: number,
  accumulate: 0 | 1,
  sk: number,
  sm: number,
];

/** bnGradInput's arguments after dy (bnReluGradInput's after dy and y). */
type BnGradInput = [
  x: number,
  mean: number,
  a: number,
  b: number,
  k: number,
  out: number,
  M: number,
  C: number,
];

/** Floats of scratch matPacked needs for K rows of out and N columns (kernels.wat: a block of up to
 *  192 rows of b as strips of 16 columns, the last one 4 or 16 wide; 16 × 192 floats of a; K × 16 of
 *  out's last strip). */
export function matPackedScratchFloats(K: number, N: number): number {
  const last = (4 * N - 4) & -64;
  const lastWidth = 4 * N - last <= 16 ? 16 : 64;
  return (192 * (last + lastWidth) + 12288 + 64 * K) / 4;
}

export interface SimdKernels {
  addRowVector(a: number, v: number, out: number, M: number, C: number): void;
  matTN(a: number, b: number, out: number, K: number, M: number, N: number, accumulate: 0 | 1): void;
  /** matTN with a(k, m) read at a + k·sk + m·sm bytes (sk = 4, sm = 4K: a stored transposed). */
  matStrided(...args: StridedProduct): void;
  /** matStrided blocked for the caches, b's blocks (and a strided a's slices) first copied to `pack`
   *  (matPackedScratchFloats floats of scratch); the same results. Any N; bt = 1 reads b stored
   *  transposed, as [N, M]. */
  matPacked(...args: [...StridedProduct, pack: number, bt: 0 | 1]): void;
  sumRows(x: number, out: number, M: number, C: number): void;
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    N: number,
    H: number,
    W: number,
    C: number,
    OH: number,
    OW: number,
  ): void;
  maxPoolGradTiles(
    x: number,
    dy: number,
    dx: number,
    N: number,
    H: number,
    W: number,
    C: number,
    OH: number,
    OW: number,
    KH: number,
    KW: number,
  ): void;
  conv2dOneChannel(
    x: number,
    f: number,
    out: number,
    N: number,
    H: number,
    W: number,
    OH: number,
    OW: number,
    KH: number,
    KW: number,
    CO: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
  ): void;
  sumSqDev(x: number, mean: number, out: number, M: number, C: number): void;
  affineRows(x: number, mean: number, s: number, t: number, out: number, M: number, C: number): void;
  bnGradSums(dy: number, x: number, mean: number, sdy: number, sdyx: number, M: number, C: number): void;
  bnGradInput(dy: number, ...args: BnGradInput): void;
  convFilterTap(
    x: number,
    dy: number,
    out: number,
    N: number,
    H: number,
    W: number,
    CI: number,
    OH: number,
    OW: number,
    CO: number,
    ohLo: number,
    ohHi: number,
    owLo: number,
    owHi: number,
    ihOff: number,
    iwOff: number,
    sh: number,
    sw: number,
  ): void;
  /** out = a·x + b·y over n floats (n a multiple of 4). */
  blend(x: number, y: number, out: number, n: number, a: number, b: number): void;
  adamStep(
    w: number,
    g: number,
    m: number,
    v: number,
    n: number,
    b1: number,
    b2: number,
    c1: number,
    c2: number,
    d1: number,
    d2: number,
    eps: number,
    step: number,
    out: number,
  ): void;
  col2im(
    cols: number,
    x: number,
    n0: number,
    nc: number,
    H: number,
    W: number,
    CI: number,
    OH: number,
    OW: number,
    KH: number,
    KW: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
    top: number,
    left: number,
  ): void;
  im2colT(
    x: number,
    cols: number,
    n0: number,
    nc: number,
    H: number,
    W: number,
    CI: number,
    OH: number,
    OW: number,
    KH: number,
    KW: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
    top: number,
    left: number,
  ): void;
}

export interface RecurrentKernels {
  matAdd(
    a: number,
    w: number,
    base: number,
    out: number,
    M: number,
    K: number,
    N: number,
    rs: number,
    cs: number,
  ): void;
  lstmForward(
    xp: number,
    hr: number,
    b: number,
    cPrev: number,
    gates: number,
    c: number,
    tc: number,
    h: number,
    B: number,
    U: number,
    hard: 0 | 1,
  ): void;
  lstmBackward(
    dhRec: number,
    dy: number,
    dcIn: number,
    gates: number,
    cPrev: number,
    tc: number,
    dz: number,
    dcOut: number,
    B: number,
    U: number,
    hard: 0 | 1,
  ): void;
  gruZR(
    xp: number,
    hr: number,
    b: number,
    h: number,
    gates: number,
    rh: number,
    B: number,
    U: number,
    hard: 0 | 1,
  ): void;
  gruH(xp: number, rr: number, b: number, h: number, gates: number, hOut: number, B: number, U: number): void;
  gruBackZH(
    carry: number,
    back: number,
    dy: number,
    gates: number,
    hPrev: number,
    dz: number,
    dzr: number,
    dah: number,
    carryOut: number,
    B: number,
    U: number,
    hard: 0 | 1,
  ): void;
  gruBackR(
    drh: number,
    gates: number,
    hPrev: number,
    dz: number,
    dzr: number,
    carry: number,
    carryOut: number,
    B: number,
    U: number,
    hard: 0 | 1,
  ): void;
}

/** Between an [N, OH, OW, CO] tensor and its transformed tiles, for tiles t0 … t0 + tb (winograd.wat). */
type OutputTiles = (
  from: number,
  to: number,
  OH: number,
  OW: number,
  CO: number,
  TH: number,
  TW: number,
  t0: number,
  tb: number,
  ts: number,
) => void;

/** Winograd F(2×2, 3×3) convolution and filter gradient in blocks of tiles (winograd.wat). */
export interface WinogradKernels {
  wgInput(
    x: number,
    v: number,
    H: number,
    W: number,
    C: number,
    TH: number,
    TW: number,
    top: number,
    left: number,
    t0: number,
    tb: number,
    ts: number,
  ): void;
  /** The block's products over its first `xis` rows of ξ (16 for F(2×2, 3×3), 36 for F(4×4, 3×3)). */
  wgMul(v: number, u: number, m: number, C: number, CO: number, tp: number, ts: number, xis: number): void;
  /** Transformed tiles `m` → output `y`. */
  wgOutput: OutputTiles;
  /** Output gradient `dy` → its transformed tiles `m` (the filter gradient's right operand). */
  wgGradOutput: OutputTiles;
  wgGradMul(
    v: number,
    m: number,
    du: number,
    C: number,
    CO: number,
    tb: number,
    ts: number,
    xis: number,
  ): void;
  /** F(4×4, 3×3)'s transforms, laid out as wgInput's, wgOutput's and wgGradOutput's. */
  wg4Input: WinogradKernels['wgInput'];
  wg4Output: OutputTiles;
  wg4GradOutput: OutputTiles;
}

export interface DenseKernels {
  biasAct(y: number, b: number, M: number, N: number, hasBias: 0 | 1, relu: 0 | 1): void;
  actGrad(
    dy: number,
    y: number,
    dz: number,
    db: number,
    M: number,
    N: number,
    relu: 0 | 1,
    hasBias: 0 | 1,
  ): void;
}

/** The fused convolution op's 1-D convolution and the fused MaxPooling1D's pool (conv.wat). */
export interface ConvKernels {
  maxPool1d(x: number, y: number, N: number, L: number, C: number, OL: number, P: number): void;
  flipFilter(w: number, out: number, KT: number, C: number, F: number): void;
  meanSteps(x: number, y: number, N: number, L: number, C: number, inv: number): void;
  meanStepsGrad(dy: number, dx: number, N: number, L: number, C: number, inv: number): void;
  maxPool1dGrad(
    x: number,
    dy: number,
    dx: number,
    N: number,
    L: number,
    C: number,
    OL: number,
    P: number,
  ): void;
  conv1d(
    x: number,
    w: number,
    b: number,
    y: number,
    N: number,
    L: number,
    C: number,
    OL: number,
    KT: number,
    F: number,
    s: number,
    pad: number,
    relu: 0 | 1,
  ): void;
}

/** BatchNormalization with the ReLU after it folded in (batchnorm.wat). */
export interface BatchNormReluKernels {
  affineRowsRelu(x: number, mean: number, s: number, t: number, out: number, M: number, C: number): void;
  bnReluGradSums(
    dy: number,
    y: number,
    x: number,
    mean: number,
    sdy: number,
    sdyx: number,
    M: number,
    C: number,
  ): void;
  bnReluGradInput(dy: number, y: number, ...args: BnGradInput): void;
}

const compiled = new Map<string, WebAssembly.Module | null>();
const instances = new Map<string, WeakMap<WebAssembly.Memory, unknown>>();

/** The exports of a base64 module instantiated on `memory`, or null without SIMD. */
function instantiateOn<T>(base64: string, memory: WebAssembly.Memory): T | null {
  if (!compiled.has(base64)) {
    try {
      compiled.set(base64, new WebAssembly.Module(Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))));
    } catch {
      compiled.set(base64, null); // no SIMD in this engine
    }
  }
  const mod = compiled.get(base64);
  if (!mod) return null;
  const byMemory = instances.get(base64) ?? new WeakMap<WebAssembly.Memory, unknown>();
  instances.set(base64, byMemory);
  let k = byMemory.get(memory) as T | null | undefined;
  if (k === undefined) {
    try {
      k = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as T;
    } catch {
      k = null; // e.g. the threaded build's shared memory, which the .wat files do not declare
    }
    byMemory.set(memory, k);
  }
  return k;
}

function backendMemory(backend: BackendWasm): WebAssembly.Memory | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** Which build of kernels.wat runs: 'relaxed' fuses matTN's multiply-add (f32x4.relaxed_madd). */
export type SimdBuild = 'relaxed' | 'plain';

// The smallest module using relaxed SIMD, assembled:
// (func (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
const RELAXED_PROBE = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32,
  1, 32, 2, 253, 133, 2, 11,
]);

let relaxed: boolean | undefined;

/** Whether this engine compiles relaxed SIMD. Node 20's V8 has it behind a flag, which a process may
 *  still set before compiling (newer Node and Electron ship it). The flag is process-wide and worker
 *  threads run this same check, so every thread of a process makes the same choice. */
function relaxedSimd(): boolean {
  if (relaxed === undefined) {
    relaxed = WebAssembly.validate(RELAXED_PROBE);
    if (!relaxed && setV8Flag('--experimental-wasm-relaxed-simd'))
      relaxed = WebAssembly.validate(RELAXED_PROBE);
  }
  return relaxed;
}

let build: SimdBuild | undefined;

/** The build this process runs: 'relaxed' where the engine has relaxed SIMD, else 'plain';
 *  NETWRIGHT_WASM_SIMD=plain forces the plain one (worker threads inherit the environment). */
export function simdBuild(): SimdBuild {
  if (build === undefined) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    build = env?.NETWRIGHT_WASM_SIMD !== 'plain' && relaxedSimd() ? 'relaxed' : 'plain';
  }
  return build;
}

/** For tests and measurements in this thread: run `b` from now on (undefined: detect again). */
export function setSimdBuild(b: SimdBuild | undefined): void {
  build = b;
}

/** One build of a module assembled twice (plain, and relaxed: multiply-adds fused) on `memory`, or
 *  null (no memory, no SIMD, or relaxed asked where the engine has none). */
function buildOn<T>(
  memory: WebAssembly.Memory | null,
  which: SimdBuild,
  plain: string,
  relaxedBuild: string,
): T | null {
  if (!memory || (which === 'relaxed' && !relaxedSimd())) return null;
  return instantiateOn<T>(which === 'relaxed' ? relaxedBuild : plain, memory);
}

export function simdKernels(backend: BackendWasm): SimdKernels | null {
  const memory = backendMemory(backend);
  return memory && simdKernelsOn(memory);
}

/** The kernels on a memory of the caller's own (e.g. for host-side arrays), or null without SIMD. */
export function simdKernelsOn(
  memory: WebAssembly.Memory,
  which: SimdBuild = simdBuild(),
): SimdKernels | null {
  return buildOn<SimdKernels>(memory, which, KERNELS_WASM_BASE64, KERNELS_RELAXED_WASM_BASE64);
}

/** The fused LSTM/GRU timestep kernels (recurrent.wat, the build simdBuild picks) on the backend's
 *  memory, or null. */
export function recurrentKernels(
  backend: BackendWasm,
  which: SimdBuild = simdBuild(),
): RecurrentKernels | null {
  return buildOn<RecurrentKernels>(
    backendMemory(backend),
    which,
    RECURRENT_WASM_BASE64,
    RECURRENT_RELAXED_WASM_BASE64,
  );
}

/** The Winograd convolution kernels (winograd.wat, the build simdBuild picks) on the backend's
 *  memory, or null. */
export function winogradKernels(
  backend: BackendWasm,
  which: SimdBuild = simdBuild(),
): WinogradKernels | null {
  return buildOn<WinogradKernels>(
    backendMemory(backend),
    which,
    WINOGRAD_WASM_BASE64,
    WINOGRAD_RELAXED_WASM_BASE64,
  );
}

/** The fused Dense op's bias, activation and gradient kernels (dense.wat) on the backend's memory, or null. */
export function denseKernels(backend: BackendWasm): DenseKernels | null {
  const memory = backendMemory(backend);
  return memory && instantiateOn<DenseKernels>(DENSE_WASM_BASE64, memory);
}

/** conv.wat's kernels (the build simdBuild picks) on the backend's memory, or null. */
export function convKernels(backend: BackendWasm, which: SimdBuild = simdBuild()): ConvKernels | null {
  return buildOn<ConvKernels>(backendMemory(backend), which, CONV_WASM_BASE64, CONV_RELAXED_WASM_BASE64);
}

/** batchnorm.wat's kernels on the backend's memory, or null. */
export function batchNormReluKernels(backend: BackendWasm): BatchNormReluKernels | null {
  const memory = backendMemory(backend);
  return memory && instantiateOn<BatchNormReluKernels>(BATCHNORM_WASM_BASE64, memory);
}

/** A tensor's byte offset in the backend's memory. */
export function heapOffset(backend: BackendWasm, t: { dataId: object }): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}
