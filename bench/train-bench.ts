// `npm run bench`: train the three workloads (bench/workloads.ts) through Netwright's own training
// path on every tfjs backend that loads, and the same workloads in PyTorch (bench/torch_bench.py)
// in the same run, interleaved (torch, tfjs, torch, tfjs…) so a busy machine slows both alike.
// Prints samples/s and the ratio to PyTorch (median of the repeats); writes bench/results.json.
//
//   npm run bench -- [--workloads mlp,cnn,lstm] [--backends webgpu,wasm,js,cpu,gpu] [--repeats 3] [--torch-threads 2] [--software-webgpu]
//
// PyTorch runs with 2 threads (torch.set_num_threads) unless --torch-threads says otherwise; on a
// machine busy with other work its threads wait on each other, so compare on a quiet machine.
//
// Backends: webgpu = WebGPU through Dawn, wasm = WebAssembly (XNNPACK), js = pure JavaScript,
// cpu = tfjs-node (libtensorflow), gpu = tfjs-node-gpu. One that does not load is reported and
// skipped. WebGPU on a software adapter (SwiftShader, llvmpipe…) is skipped unless --software-webgpu
// asks for it; its rows are then labelled "webgpu (software)" with gpu: false, never a GPU figure.
// "wasm×2" means batches were split across 2 threads (engine/train/parallel/; Netwright does this
// on its own for convolutional models on WebAssembly). The pure-JS backend is run
// once per workload (it needs minutes for the CNN).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, type BackendChoice } from '../engine/backend.ts';
import { runTfjs } from './tfjs-run.ts';
import { WORKLOADS } from './workloads.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const workloads = WORKLOADS.filter((w) => arg('workloads', 'mlp,cnn,lstm').split(',').includes(w.id));
const repeats = Math.max(1, Number(arg('repeats', '3')));
const torchThreads = arg('torch-threads', '2');
const wanted = arg('backends', 'webgpu,gpu,cpu,wasm,js').split(',') as BackendChoice[];
const softwareWebGpu = process.argv.includes('--software-webgpu');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
    : NaN;
};

const torchOk = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
function torchSamplesPerSec(workload: string): number | null {
  if (!torchOk) return null;
  const r = spawnSync(PYTHON, [path.join(here, 'torch_bench.py'), workload, torchThreads], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`PyTorch ${workload} failed: ${r.stderr.trim().split('\n').at(-1)}`);
    return null;
  }
  return (JSON.parse(r.stdout) as Record<string, number>)[workload];
}

// Which backends load here (native ones are optional dependencies).
const backends: BackendChoice[] = [];
for (const b of wanted) {
  try {
    const info = await selectBackend(b);
    if (info.software && !softwareWebGpu) {
      console.log(`backend ${b}: skipped — ${info.label} is a software renderer (--software-webgpu runs it)`);
      continue;
    }
    backends.push(b);
  } catch (err) {
    console.log(`backend ${b}: skipped — ${(err as Error).message}`);
  }
}
const torchVersion = torchOk
  ? spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()
  : null;
console.log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}; ` +
    `PyTorch ${torchVersion ? `${torchVersion} (${torchThreads} threads)` : 'not available (python3 cannot import torch)'}; repeats ${repeats}; load average ${os.loadavg()[0].toFixed(1)}`,
);

interface Row {
  workload: string;
  backend: string;
  samplesPerSec: number;
  /** Measured on a hardware GPU (WebGPU on a hardware adapter, or CUDA). */
  gpu: boolean;
  torchSamplesPerSec: number | null;
  ratio: number | null;
}
const rows: Row[] = [];
for (const w of workloads) {
  const torch: number[] = [];
  const tfjs = new Map<BackendChoice, { backend: string; gpu: boolean; runs: number[] }>();
  for (let r = 0; r < repeats; r++) {
    const t = torchSamplesPerSec(w.id);
    if (t !== null) torch.push(t);
    for (const b of backends) {
      if (b === 'js' && r > 0) continue;
      const res = await runTfjs(w, b);
      const gpu = !res.software && (b === 'webgpu' || res.backend === 'tensorflow-gpu');
      const entry = tfjs.get(b) ?? { backend: res.backend, gpu, runs: [] };
      entry.runs.push(res.samplesPerSec);
      tfjs.set(b, entry);
      const leak = res.tensorsAfterEpoch.at(-1)! - res.tensorsAfterEpoch[0];
      console.log(
        `  ${w.id} ${res.backend}: ${res.samplesPerSec.toFixed(0)} samples/s` +
          (t !== null ? ` (PyTorch ${t.toFixed(0)} just before)` : '') +
          (leak !== 0 ? `; tensors grew by ${leak} across epochs` : ''),
      );
    }
  }
  const torchMedian = torch.length ? median(torch) : null;
  for (const { backend, gpu, runs } of tfjs.values()) {
    const sps = median(runs);
    rows.push({
      workload: w.id,
      backend,
      samplesPerSec: Math.round(sps),
      gpu,
      torchSamplesPerSec: torchMedian === null ? null : Math.round(torchMedian),
      ratio: torchMedian === null ? null : Math.round((sps / torchMedian) * 100) / 100,
    });
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\n${pad('workload', 10)}${pad('backend', 20)}${pad('samples/s', 12)}${pad('PyTorch', 12)}ratio`);
for (const r of rows) {
  console.log(
    pad(r.workload, 10) +
      pad(r.backend, 20) +
      pad(String(r.samplesPerSec), 12) +
      pad(r.torchSamplesPerSec === null ? '—' : String(r.torchSamplesPerSec), 12) +
      (r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`),
  );
}
writeFileSync(path.join(here, 'results.json'), JSON.stringify(rows, null, 2) + '\n');
console.log(`\nwrote ${path.relative(process.cwd(), path.join(here, 'results.json'))}`);
