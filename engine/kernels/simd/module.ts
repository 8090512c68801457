// The project's own WebAssembly kernels (kernels.wat), instantiated on the tfjs WebAssembly backend's
// memory so they read and write tensors in place. Null where the backend's memory is not reachable
// or the engine lacks WebAssembly SIMD; callers then keep their JavaScript loops.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KERNELS_WASM_BASE64 } from './kernels.wasm.ts';

export interface SimdKernels {
  addRowVector(a: number, v: number, out: number, M: number, C: number): void;
  matTN(a: number, b: number, out: number, K: number, M: number, N: number, accumulate: 0 | 1): void;
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
  sumSqDev(x: number, mean: number, out: number, M: number, C: number): void;
  affineRows(x: number, mean: number, s: number, t: number, out: number, M: number, C: number): void;
  bnGradSums(dy: number, x: number, mean: number, sdy: number, sdyx: number, M: number, C: number): void;
  bnGradInput(
    dy: number,
    x: number,
    mean: number,
    a: number,
    b: number,
    k: number,
    out: number,
    M: number,
    C: number,
  ): void;
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

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

export function simdKernels(backend: BackendWasm): SimdKernels | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  return simdKernelsOn(memory);
}

/** The kernels on a memory of the caller's own (e.g. for host-side arrays), or null without SIMD. */
export function simdKernelsOn(memory: WebAssembly.Memory): SimdKernels | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Uint8Array.from(atob(KERNELS_WASM_BASE64), (ch) => ch.charCodeAt(0)));
    } catch {
      compiled = null; // no SIMD in this engine
    }
  }
  if (!compiled) return null;
  let k = instances.get(memory);
  if (k === undefined) {
    try {
      k = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SimdKernels;
    } catch {
      k = null; // e.g. the threaded build's shared memory, which kernels.wat does not declare
    }
    instances.set(memory, k);
  }
  return k;
}

/** A tensor's byte offset in the backend's memory. */
export function heapOffset(backend: BackendWasm, t: { dataId: object }): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}
