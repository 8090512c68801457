// The GPU check (`npm run gpu:bundle` packs it with its own Node; run.sh starts it): on whatever
// WebGPU adapter Dawn finds, it prints the adapter, compares every registry layer's forward output
// and gradients with the cpu backend's (layer-parity.ts), and times training of the bench workloads
// (bench/workloads.ts) on webgpu and wasm beside PyTorch on the same shapes (bench/torch_bench.py,
// CUDA when PyTorch sees one), interleaved and repeated. Writes results.json and results.txt.
// Usage and output: README, "Measuring a GPU". Exit code 1 when a layer differs or no adapter works.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, type BackendChoice, type BackendInfo } from '../../engine/backend.ts';
import { runTfjs } from '../tfjs-run.ts';
import { WORKLOADS } from '../workloads.ts';
import { compareOnWebGpu, layerCases, TOLERANCE, type ParityResult } from './layer-parity.ts';
import { formatTable, spread, type BenchRow } from './report.ts';

interface Options {
  out: string;
  quick: boolean;
  workloads: string[];
  batches: number[];
  samples: number;
  timedEpochs: number;
  repeats: number;
  layers: boolean;
  bench: boolean;
  python: string;
  torchThreads: number;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const numbers = (s: string) => s.split(',').map(Number);
  return {
    out: path.resolve(value('out', process.env.OUT || 'gpu-results')),
    quick,
    workloads: value('workloads', quick ? 'mlp' : 'mlp,cnn,lstm').split(','),
    batches: numbers(value('batches', quick ? '64' : '64,256')),
    samples: Number(value('samples', quick ? '256' : '2048')),
    timedEpochs: Number(value('epochs', quick ? '1' : '2')),
    repeats: Number(value('repeats', quick ? '1' : '3')),
    layers: !argv.includes('--no-layers'),
    bench: !argv.includes('--no-bench'),
    python: process.env.PYTHON || 'python3',
    torchThreads: Number(value('torch-threads', '2')),
  };
}

const o = parseOptions(process.argv.slice(2));
mkdirSync(o.out, { recursive: true });
const lines: string[] = [];
const say = (line = '') => {
  console.log(line);
  lines.push(line);
};

/** bench/torch_bench.py beside the bundle, or in the source tree when run through tsx. */
function torchScript(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.join(here, 'torch_bench.py'), path.join(here, '../torch_bench.py')].find(existsSync) ?? null;
}

function python(args: string[]): { ok: true; stdout: string } | { ok: false; why: string } {
  const r = spawnSync(o.python, args, { encoding: 'utf8' });
  if (r.error) return { ok: false, why: r.error.message };
  if (r.status !== 0) return { ok: false, why: r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}` };
  return { ok: true, stdout: r.stdout };
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  options: { ...o, out: undefined },
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  },
};
say(`Netwright GPU check${o.quick ? ' (quick)' : ''}, ${results.date}`);
say(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`);

// 1. The adapter.
let gpu: BackendInfo;
try {
  gpu = await selectBackend('webgpu');
} catch (err) {
  say(`WebGPU: ${(err as Error).message}`);
  results.adapter = { error: (err as Error).message };
  finish(1);
}
const device = (gpu.tf.backend() as unknown as { device: GPUDevice }).device;
const info = device.adapterInfo;
results.adapter = {
  label: gpu.label,
  software: gpu.software === true,
  vendor: info.vendor,
  architecture: info.architecture,
  device: info.device,
  description: info.description,
  maxBufferSize: device.limits.maxBufferSize,
  maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
};
say(`adapter: ${gpu.label}${gpu.software ? ' — a software renderer: its timings are not GPU figures' : ''}`);
say(
  `  vendor "${info.vendor}", architecture "${info.architecture}", device "${info.device}", description "${info.description}"`,
);
say(
  `  max buffer ${device.limits.maxBufferSize} bytes, max storage binding ${device.limits.maxStorageBufferBindingSize} bytes`,
);

// 2. PyTorch: which device it trains on here.
const script = torchScript();
let torch: { torch: string; device: string; name: string; threads: number } | null = null;
if (!script) say('PyTorch: torch_bench.py is missing');
else {
  const r = python([script, 'mlp', String(o.torchThreads), '--describe', '--device', 'auto']);
  if (r.ok) torch = JSON.parse(r.stdout);
  say(
    r.ok
      ? `PyTorch ${torch!.torch} on ${torch!.device === 'cuda' ? `CUDA (${torch!.name})` : `the CPU (no CUDA here), ${torch!.threads} threads`}`
      : `PyTorch: not available (${o.python}: ${r.why})`,
  );
}
results.torch = torch;

// 3. Every layer on webgpu against the cpu backend.
let failedLayers = 0;
if (o.layers) {
  const threshold = gpu.tf.env().get('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD');
  // Every op on the GPU: tfjs-webgpu otherwise hands ops on small tensors to its CPU kernels.
  gpu.tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
  const cases = layerCases();
  say();
  say(
    `Layer check: forward output and gradients on webgpu vs cpu, ${cases.length} cases, tolerance ${TOLERANCE}`,
  );
  const parity: ParityResult[] = [];
  for (const c of cases) {
    const r = await compareOnWebGpu(c);
    parity.push(r);
    const worst = Math.max(...Object.values(r.diffs));
    if (!r.ok) failedLayers++;
    say(
      `  ${r.ok ? 'ok  ' : 'FAIL'} ${`${r.type} #${r.index}`.padEnd(28)}` +
        (r.error ? r.error : `worst ${worst.toExponential(1)} over output + ${r.gradients} gradients`),
    );
  }
  say(`layers: ${parity.length - failedLayers} of ${parity.length} cases equal the cpu backend's`);
  results.layers = { cases: parity.length, passed: parity.length - failedLayers, results: parity };
  await selectBackend('webgpu');
  gpu.tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', threshold);
}

// 4. Training throughput: PyTorch, webgpu, wasm, interleaved, each repeated.
if (o.bench) {
  const rows: BenchRow[] = [];
  say();
  say(
    `Training: ${o.samples} random samples, Adam, 1 warm-up + ${o.timedEpochs} timed epochs, ${o.repeats} repeats (median, min–max)`,
  );
  for (const w of WORKLOADS.filter((x) => o.workloads.includes(x.id))) {
    for (const batch of o.batches) {
      const runs: Record<string, number[]> = { webgpu: [], wasm: [], torch: [] };
      const errors: Record<string, string> = {};
      for (let r = 0; r < o.repeats; r++) {
        if (torch && script) {
          const args = [script, w.id, String(o.torchThreads), '--batch', String(batch)];
          args.push('--samples', String(o.samples), '--epochs', String(o.timedEpochs), '--device', 'auto');
          const t = python(args);
          if (t.ok) runs.torch.push((JSON.parse(t.stdout) as Record<string, number>)[w.id]);
          else errors.torch = t.why;
        }
        for (const b of ['webgpu', 'wasm'] as BackendChoice[]) {
          try {
            // One thread on wasm: the bundle carries no worker-thread entry for data parallelism.
            const res = await runTfjs(w, b, false, {
              batch,
              samples: o.samples,
              timedEpochs: o.timedEpochs,
              warmupSteps: 0,
            });
            runs[b].push(res.samplesPerSec);
          } catch (err) {
            errors[b] = (err as Error).message.split('\n')[0];
          }
        }
      }
      const row: BenchRow = {
        workload: w.id,
        batch,
        webgpu: spread(runs.webgpu),
        wasm: spread(runs.wasm),
        torch: spread(runs.torch),
        errors,
      };
      rows.push(row);
      say(
        `  ${w.id} batch ${batch}: webgpu ${row.webgpu?.median.toFixed(0) ?? '—'}, wasm ${row.wasm?.median.toFixed(0) ?? '—'}, PyTorch ${row.torch?.median.toFixed(0) ?? '—'} samples/s` +
          Object.entries(errors)
            .map(([k, v]) => `; ${k} failed: ${v}`)
            .join(''),
      );
    }
  }
  const torchName = !torch
    ? 'not available'
    : torch.device === 'cuda'
      ? `PyTorch ${torch.torch} on CUDA (${torch.name})`
      : `PyTorch ${torch.torch} on the CPU (no CUDA here), ${torch.threads} threads`;
  results.bench = rows;
  say();
  for (const line of formatTable(rows, { webgpu: gpu.label, torch: torchName })) say(line);
}

finish(failedLayers > 0 ? 1 : 0);

function finish(code: number): never {
  writeFileSync(path.join(o.out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(path.join(o.out, 'results.txt'), lines.join('\n') + '\n');
  console.log(`\nwrote results.json and results.txt to ${o.out}`);
  process.exit(code);
}
