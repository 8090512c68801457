// The project's SIMD product (kernels.wat matTN, matStrided, matPacked) in both builds, plain and
// relaxed (fused multiply-add): against a float64 product on shapes that cover every path of the
// kernel (two rows and one, 16 columns and 4, row blocks and a short tail joining the block before
// it, b read in place or copied block by block, overwrite and accumulate), through the backend's BatchMatMul against the cpu backend, and the build choice as
// worker threads see it.
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { setBatchMatMulSimd } from '../../engine/kernels/batch-matmul.ts';
import {
  matPackedScratchFloats,
  setSimdBuild,
  simdBuild,
  simdKernelsOn,
  type SimdBuild,
} from '../../engine/kernels/simd/module.ts';

const BUILDS: SimdBuild[] = ['plain', 'relaxed'];

function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 1.5);
}

/** matTN(K, M, N) on its own memory (or matStrided reading a stored as [M, K], or matPacked, which
 *  copies b's blocks to scratch first, either way, b stored [M, N] or transposed); returns the worst
 *  error relative to Σ|a·b| per element. */
function worstError(
  which: SimdBuild,
  K: number,
  M: number,
  N: number,
  accumulate: 0 | 1,
  aTransposed = false,
  packed = false,
  bTransposed = false,
): number {
  const PACK_BYTES = 4 * matPackedScratchFloats(K, N);
  const bytes = 4 * (K * M + M * N + K * N) + 64 + PACK_BYTES;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
  const k = simdKernelsOn(memory, which)!;
  const f32 = new Float32Array(memory.buffer);
  const [pa, pb, po] = [16, 16 + 4 * K * M, 16 + 4 * (K * M + M * N)];
  const a = values(K * M, 1);
  const b = values(M * N, 2);
  const start = values(K * N, 3);
  f32.set(a, pa / 4);
  f32.set(b, pb / 4);
  f32.set(start, po / 4);
  const pack = po + 4 * K * N;
  const [sk, sm] = aTransposed ? [4, 4 * K] : [4 * M, 4];
  if (bTransposed)
    f32.set(
      Float32Array.from({ length: M * N }, (_, i) => b[(i % M) * N + Math.floor(i / M)]),
      pb / 4,
    );
  if (packed) k.matPacked(pa, pb, po, K, M, N, accumulate, sk, sm, pack, bTransposed ? 1 : 0);
  else if (aTransposed) k.matStrided(pa, pb, po, K, M, N, accumulate, sk, sm);
  else k.matTN(pa, pb, po, K, M, N, accumulate);
  const aAt = (r: number, m: number) => (aTransposed ? a[m * K + r] : a[r * M + m]);
  let worst = 0;
  for (let r = 0; r < K; r++)
    for (let c = 0; c < N; c++) {
      let want = accumulate ? start[r * N + c] : 0;
      let scale = Math.abs(want);
      for (let m = 0; m < M; m++) {
        want += aAt(r, m) * b[m * N + c];
        scale += Math.abs(aAt(r, m) * b[m * N + c]);
      }
      worst = Math.max(worst, Math.abs(f32[po / 4 + r * N + c] - want) / Math.max(scale, 1e-30));
    }
  return worst;
}

describe('matTN, both builds, against a float64 product', () => {
  // [K, M, N]: odd and even rows, 4..16+ columns, M = 1, and (N = 1024: blocks of 64 rows of b)
  // three blocks (150) and two with the short tail joined (140).
  const shapes: [number, number, number][] = [
    [1, 1, 4],
    [3, 5, 4],
    [5, 7, 12],
    [7, 13, 20],
    [2, 130, 8],
    [6, 129, 68],
    [13, 300, 52],
    [3, 150, 1024],
    [2, 140, 1024],
  ];
  for (const which of BUILDS)
    for (const [K, M, N] of shapes)
      for (const accumulate of [0, 1] as const)
        it(`${which}: ${K}×${M} · ${M}×${N}${accumulate ? ' added to out' : ''}`, () => {
          expect(worstError(which, K, M, N, accumulate)).toBeLessThan(1e-6);
        });
  for (const which of BUILDS)
    for (const [K, M, N] of shapes)
      it(`${which}: matStrided, a stored transposed: ${K}×${M} · ${M}×${N}`, () => {
        expect(worstError(which, K, M, N, 1, true)).toBeLessThan(1e-6);
      });
  // matPacked's blocks: the fewest of at most 192 rows of b (M = 300, 513, 1,043: several),
  // 256-column groups (N = 300, 1,024), 16 rows of out at a time (K = 19, 37, 40: a short last
  // slice), a stored transposed copied a slice at a time; odd K, M and N mod 16 of 4, 8 and 12 (a last
  // strip run sixteen wide on zeros), and N not a multiple of 4 (a last strip of 1–3 columns four
  // wide, of 5–15 sixteen wide); b stored either way.
  const packedShapes: [number, number, number][] = [
    ...shapes,
    [5, 266, 20],
    [7, 277, 36],
    [9, 513, 44],
    [3, 1043, 12],
    [11, 1031, 8],
    [4, 3, 1],
    [5, 9, 2],
    [7, 21, 10],
    [9, 300, 19],
    [13, 1043, 35],
    [37, 300, 20],
    [40, 145, 300],
    [19, 143, 10],
  ];
  for (const which of BUILDS)
    for (const [K, M, N] of packedShapes)
      for (const [accumulate, aTransposed, bTransposed] of [
        [0, false, false],
        [1, true, false],
        [0, true, true],
        [1, false, true],
      ] as const)
        it(`${which}: matPacked${aTransposed ? ', a stored transposed' : ''}${bTransposed ? ', b stored transposed' : ''}: ${K}×${M} · ${M}×${N}${accumulate ? ' added to out' : ''}`, () => {
          expect(worstError(which, K, M, N, accumulate, aTransposed, true, bTransposed)).toBeLessThan(1e-6);
        });
});

describe('BatchMatMul on wasm through matTN, both builds, against the cpu backend', () => {
  afterEach(() => {
    setSimdBuild(undefined);
    setBatchMatMulSimd('auto');
  });
  for (const which of BUILDS)
    // The transposed cases read their transposed left operand in place (matStrided): A in the
    // direct product, B (untransposed) in the swapped one (n not a multiple of 4).
    for (const [m, k, n, transposeA, transposeB] of [
      [5, 7, 12, false, false],
      [37, 150, 20, false, false],
      [64, 33, 28, true, false],
      [37, 300, 20, false, false],
      [9, 1043, 12, false, false],
      [64, 128, 10, false, false],
      [128, 64, 10, true, false],
      [64, 10, 128, false, true],
      [37, 300, 19, false, true],
      [6, 45, 3, true, true],
      [2, 45, 7, false, true],
      [784, 64, 128, true, false],
      [16, 21, 6, true, false],
      [12, 9, 7, false, true],
    ] as const)
      it(`${which}: ${m}×${k}·${k}×${n}${transposeA ? ', A transposed' : ''}${transposeB ? ', B transposed' : ''}`, async () => {
        const a = values(m * k, 4);
        const b = values(k * n, 5);
        await tf.setBackend('cpu');
        const aShape = transposeA ? [k, m] : [m, k];
        const bShape = transposeB ? [n, k] : [k, n];
        const product = () =>
          tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB).dataSync();
        const want = product();
        await selectBackend('wasm');
        await tf.setBackend('wasm');
        setSimdBuild(which);
        setBatchMatMulSimd('always');
        const got = tf.tidy(product);
        let worst = 0;
        for (let i = 0; i < want.length; i++)
          worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
        expect(worst).toBeLessThan(1e-5);
      });
});

/** The build a fresh worker thread of this process picks, with `env` as its environment. */
function workerBuild(env: NodeJS.ProcessEnv): Promise<string> {
  const worker = new Worker(new URL('./simd-build-worker.mjs', import.meta.url), { env });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: string) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('which build runs', () => {
  it('is the relaxed one on this Node (relaxed SIMD enabled before compiling)', () => {
    setSimdBuild(undefined);
    expect(simdBuild()).toBe('relaxed');
  });
  it('is the same in a worker thread, and NETWRIGHT_WASM_SIMD=plain forces the plain one there too', async () => {
    expect(await workerBuild({ ...process.env, NETWRIGHT_WASM_SIMD: undefined })).toBe(simdBuild());
    expect(await workerBuild({ ...process.env, NETWRIGHT_WASM_SIMD: 'plain' })).toBe('plain');
  });
});
