// `npx tsx bench/ceiling.ts`: the matrix-product ceiling of this machine for each workload's largest
// product (bench/workloads.ts `matmul`): GFLOP/s with WebAssembly SIMD128 on one thread of tfjs-wasm's
// XNNPACK product (the weights packed once, as XNNPACK caches them) and of the project's product as
// training runs it (engine/kernels/simd/kernels.wat matPacked, through batch-matmul.ts) in both
// builds, plain and relaxed (fused multiply-add), beside PyTorch's on 1 and 2 threads. The ceiling
// (`wasmGflops`) is the best of XNNPACK and the build this engine runs. (The JSON keeps the kernel's
// old name, matTN, in its keys.) Each figure is the best of its repeats (a ceiling, not a typical step), timed in
// CPU time for wasm so other work on the machine does not count. Writes bench/ceiling.json, which
// `npm run bench` reads to print each workload's share of the wasm ceiling.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../engine/backend.ts';
import {
  heapOffset,
  matPackedScratchFloats,
  setSimdBuild,
  simdBuild,
  simdKernels,
  type SimdBuild,
} from '../engine/kernels/simd/module.ts';
import { WORKLOADS } from './workloads.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { tf } = await selectBackend('wasm');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** GFLOP/s of `product` on [m, k] · [k, n]: the best of 15 rounds after a warm-up round (V8 tiers the
 *  module up on background threads, which CPU time would count). */
function gflops(
  [m, k, n]: [number, number, number],
  product: (a: import('@tensorflow/tfjs').Tensor, b: import('@tensorflow/tfjs').Tensor) => void,
): number {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  const flops = 2 * m * k * n;
  const reps = Math.max(3, Math.ceil(1e9 / flops));
  let best = Infinity;
  for (let round = 0; round < 16; round++) {
    const t0 = cpuMs();
    for (let i = 0; i < reps; i++) product(a, b);
    if (round > 0) best = Math.min(best, (cpuMs() - t0) / reps);
  }
  tf.dispose([a, b]);
  return flops / (best * 1e6);
}

// The same b each time, so tf.matMul goes to XNNPACK with the weights packed once (batch-matmul.ts).
const xnnpack = (shape: [number, number, number]) => gflops(shape, (a, b) => tf.matMul(a, b).dispose());

function matTN(shape: [number, number, number], which: SimdBuild): number {
  const backend = tf.backend() as BackendWasm;
  const detected = simdBuild();
  setSimdBuild(which);
  const simd = simdKernels(backend)!;
  setSimdBuild(detected);
  const [m, k, n] = shape;
  const out = tf.zeros([m, n]);
  const pack = tf.zeros([matPackedScratchFloats(m, n)]);
  const at = (t: import('@tensorflow/tfjs').Tensor) => heapOffset(backend, t);
  const result = gflops(shape, (a, b) =>
    simd.matPacked(at(a), at(b), at(out), m, k, n, 0, 4 * k, 4, at(pack), 0),
  );
  tf.dispose([out, pack]);
  return result;
}

const PY = `
import json, sys, time, torch
shapes = json.loads(sys.argv[1]); out = {}
for threads in (1, 2):
    torch.set_num_threads(threads)
    for key, (m, k, n) in shapes.items():
        a = torch.randn(m, k); b = torch.randn(k, n); flops = 2 * m * k * n
        reps = max(3, int(2e9 / flops / 10) + 1); best = float('inf')
        for _ in range(7):
            t0 = time.perf_counter()
            for _ in range(reps): torch.mm(a, b)
            best = min(best, (time.perf_counter() - t0) / reps)
        out.setdefault(key, {})[str(threads)] = flops / best / 1e9
print(json.dumps(out))
`;

const shapes = Object.fromEntries(WORKLOADS.map((w) => [w.id, w.matmul]));
const torchRun = spawnSync('/usr/bin/python3', ['-c', PY, JSON.stringify(shapes)], { encoding: 'utf8' });
const torch =
  torchRun.status === 0 ? (JSON.parse(torchRun.stdout) as Record<string, Record<string, number>>) : null;
if (!torch) console.log(`PyTorch not measured: ${torchRun.stderr.trim().split('\n').at(-1)}`);

const round1 = (x: number) => Math.round(x * 10) / 10;
const rows = WORKLOADS.map((w) => {
  const xnn = round1(xnnpack(w.matmul));
  const plain = round1(matTN(w.matmul, 'plain'));
  const relaxed = simdBuild() === 'relaxed' ? round1(matTN(w.matmul, 'relaxed')) : null;
  return {
    workload: w.id,
    matmul: w.matmul,
    wasmGflops: Math.max(xnn, simdBuild() === 'relaxed' ? relaxed! : plain),
    xnnpackGflops: xnn,
    matTNGflops: plain,
    matTNRelaxedGflops: relaxed,
    torchGflops1: torch ? round1(torch[w.id]['1']) : null,
    torchGflops2: torch ? round1(torch[w.id]['2']) : null,
  };
});
console.log(`matTN build in use: ${simdBuild()}`);
console.log(
  'workload  product [m, k, n]        ceiling  XNNPACK  matTN  matTN relaxed   PyTorch 1 thread   PyTorch 2 threads (GFLOP/s; wasm SIMD128 on 1 thread)',
);
for (const r of rows)
  console.log(
    `${r.workload.padEnd(10)}${JSON.stringify(r.matmul).padEnd(25)}${String(r.wasmGflops).padEnd(9)}${String(r.xnnpackGflops).padEnd(9)}${String(r.matTNGflops).padEnd(7)}${String(r.matTNRelaxedGflops ?? '—').padEnd(16)}${String(r.torchGflops1 ?? '—').padEnd(19)}${r.torchGflops2 ?? '—'}`,
  );
writeFileSync(path.join(here, 'ceiling.json'), JSON.stringify(rows, null, 2) + '\n');
console.log('wrote bench/ceiling.json');
