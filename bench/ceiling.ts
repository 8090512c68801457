// `npx tsx bench/ceiling.ts`: the matrix-product ceiling of this machine for each workload's largest
// product (bench/workloads.ts `matmul`): GFLOP/s of tfjs-wasm's XNNPACK product with WebAssembly
// SIMD128 on one thread (the weights packed once, as XNNPACK caches them), beside PyTorch's on 1 and
// 2 threads. Each figure is the best of its repeats (a ceiling, not a typical step), timed in CPU
// time for wasm so other work on the machine does not count. Writes bench/ceiling.json, which
// `npm run bench` reads to print each workload's share of the wasm ceiling.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../engine/backend.ts';
import { WORKLOADS } from './workloads.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { tf } = await selectBackend('wasm');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function wasmGflops([m, k, n]: [number, number, number]): number {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  const flops = 2 * m * k * n;
  const reps = Math.max(3, Math.ceil(1e9 / flops));
  // Round 0 warms up (V8 tiers the module up on background threads, which CPU time would count).
  let best = Infinity;
  for (let round = 0; round < 16; round++) {
    const t0 = cpuMs();
    for (let i = 0; i < reps; i++) tf.matMul(a, b).dispose();
    if (round > 0) best = Math.min(best, (cpuMs() - t0) / reps);
  }
  tf.dispose([a, b]);
  return flops / (best * 1e6);
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

const rows = WORKLOADS.map((w) => ({
  workload: w.id,
  matmul: w.matmul,
  wasmGflops: Math.round(wasmGflops(w.matmul) * 10) / 10,
  torchGflops1: torch ? Math.round(torch[w.id]['1'] * 10) / 10 : null,
  torchGflops2: torch ? Math.round(torch[w.id]['2'] * 10) / 10 : null,
}));
console.log(
  'workload  product [m, k, n]        wasm SIMD128 1 thread   PyTorch 1 thread   PyTorch 2 threads (GFLOP/s)',
);
for (const r of rows)
  console.log(
    `${r.workload.padEnd(10)}${JSON.stringify(r.matmul).padEnd(25)}${String(r.wasmGflops).padEnd(24)}${String(r.torchGflops1 ?? '—').padEnd(19)}${r.torchGflops2 ?? '—'}`,
  );
writeFileSync(path.join(here, 'ceiling.json'), JSON.stringify(rows, null, 2) + '\n');
console.log('wrote bench/ceiling.json');
