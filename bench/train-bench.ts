// `npm run bench`: train the suite's workloads (bench/workloads.ts) through Netwright's own training
// path on every tfjs backend that loads, and the same models in PyTorch (bench/torch_bench.py) in
// the same run, interleaved round by round (torch, tfjs, torch, tfjs…) so a busy machine slows both
// alike. Prints per workload the median samples/s, the spread (min–max) of the repeats, the ratio
// to PyTorch, each side's peak resident memory and, where bench/ceiling.json was measured here
// (npx tsx bench/ceiling.ts), the share of the wasm matmul ceiling; writes every row to
// bench/results.json.
//
//   npm run bench -- [--quick] [--workloads mlp,cnn,…] [--backends webgpu,wasm,js,cpu,gpu]
//                    [--repeats 5] [--torch-threads 2] [--software-webgpu] [--samples 2048] [--epochs 2]
//                    [--warmup-steps 192] [--one-thread-too] [--torch-wait default,passive]
//
// --quick: WebAssembly only, 1,024 samples, ≥ 32 warm-up steps and 1 timed epoch per measurement (5
// repeats still), so it stays under 3 minutes; its figures are a quick signal, not the suite's.
// --samples/--epochs change the size of every measurement. Before the timed epochs both sides train
// whole warm-up epochs of at least --warmup-steps steps (bench/workloads.ts WARMUP_STEPS: V8 is still
// compiling during a run's first ~200 steps); the first epoch's own samples/s (V8 still compiling) is
// reported beside the timed figure. Every row of bench/results.json (written unless --quick) says the
// size and the load it ran at.
// PyTorch runs with 2 threads unless --torch-threads says otherwise; on a machine busy with other
// work its threads wait on each other, so quote ratios from a quiet machine. How its OpenMP threads
// wait decides a lot on a 2-core machine, and not the same way for every model (spinning, the
// library's default, is the quicker for some; OMP_WAIT_POLICY=PASSIVE for others, and steadier), so
// each round measures PyTorch both ways (--torch-wait narrows it) and the reference is the way with
// the higher median: the ratio is against PyTorch as well configured as we found it.
//
// Each workload × backend runs in a process of its own (bench/tfjs-child.ts), and each workload's
// PyTorch side in one Python process kept across the rounds, so peak RSS is per workload.
// Backends: webgpu = WebGPU through Dawn, wasm = WebAssembly (XNNPACK), js = pure JavaScript,
// cpu = tfjs-node (libtensorflow), gpu = tfjs-node-gpu. One that does not load is reported and
// skipped. WebGPU on a software adapter is skipped unless --software-webgpu asks for it (its rows say
// "webgpu (software)", gpu: false). The pure-JS backend runs only when named, once per workload.
// "wasm×2" means batches were split across 2 threads (engine/train/parallel/); --one-thread-too
// also runs wasm on one thread in every round, so the two are measured interleaved.
import { spawn, spawnSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { selectBackend, type BackendChoice } from '../engine/backend.ts';
import type { ChildAnswer, ChildRequest } from './tfjs-child.ts';
import type { RunSize, TfjsResult } from './tfjs-run.ts';
import { SAMPLES, WARMUP_STEPS, WORKLOADS, warmupEpochs, type Workload } from './workloads.ts';
import { median, spread } from './stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const PYTHON = '/usr/bin/python3';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const quick = process.argv.includes('--quick');
const wantedWorkloads = arg('workloads', WORKLOADS.map((w) => w.id).join(',')).split(',');
const workloads = WORKLOADS.filter((w) => wantedWorkloads.includes(w.id));
const repeats = Math.max(1, Number(arg('repeats', '5')));
const torchThreads = arg('torch-threads', '2');
type WaitPolicy = 'default' | 'passive';
const waitPolicies = arg('torch-wait', 'default,passive').split(',') as WaitPolicy[];
const wanted = arg('backends', quick ? 'wasm' : 'webgpu,gpu,cpu,wasm').split(',') as BackendChoice[];
const softwareWebGpu = process.argv.includes('--software-webgpu');
const oneThreadToo = process.argv.includes('--one-thread-too');
const size = {
  samples: Number(arg('samples', String(quick ? 1024 : SAMPLES))),
  warmupSteps: Number(arg('warmup-steps', String(quick ? 32 : WARMUP_STEPS))),
} satisfies RunSize;
const epochsArg = arg('epochs', '');
/** A workload's timed epochs: --epochs for all, 1 in --quick, else its own (Workload.timedEpochs). */
const timedEpochs = (w: Workload) => (epochsArg ? Number(epochsArg) : quick ? 1 : w.timedEpochs);

/** One measurement's two figures: the timed epochs' samples/s and the first epoch's. */
interface Measured {
  samplesPerSec: number;
  firstEpochSamplesPerSec: number;
}

/** A workload's PyTorch side: one Python process answering one measurement per line asked. */
function torchServer(w: Workload, policy: WaitPolicy) {
  const env = { ...process.env };
  if (policy === 'passive') env.OMP_WAIT_POLICY = 'PASSIVE';
  else delete env.OMP_WAIT_POLICY;
  const child = spawn(
    PYTHON,
    [
      path.join(here, 'torch_bench.py'),
      '--serve',
      w.id,
      torchThreads,
      '--epochs',
      String(timedEpochs(w)),
      '--samples',
      String(size.samples),
      '--warmup-epochs',
      String(warmupEpochs(size.samples, w.batch, size.warmupSteps)),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async run(): Promise<(Measured & { peakRssKb: number }) | null> {
      child.stdin.write('run\n');
      const next = await lines.next();
      if (next.done) {
        console.error(`PyTorch ${w.id} failed: ${stderr.trim().split('\n').at(-1)}`);
        return null;
      }
      return JSON.parse(next.value) as Measured & { peakRssKb: number };
    },
    close: () => child.stdin.end(),
  };
}

/** A workload on one tfjs backend, in a process of its own. */
function tfjsChild(w: Workload, backend: BackendChoice, dataParallel?: boolean) {
  const workload = w.id;
  const child: ChildProcess = fork(path.join(here, 'tfjs-child.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
  });
  return {
    run: () =>
      new Promise<{ result: TfjsResult; peakRssKb: number }>((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`tfjs ${workload} ${backend} exited (${code})`));
        child.once('exit', onExit);
        child.once('message', (a: ChildAnswer) => {
          child.off('exit', onExit);
          if ('error' in a) reject(new Error(a.error));
          else resolve(a);
        });
        child.send({
          workload,
          backend,
          size: { ...size, timedEpochs: timedEpochs(w) },
          dataParallel,
        } satisfies ChildRequest);
      }),
    close: () => child.kill(),
  };
}

const torchOk = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

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
// What each round runs: every backend as the plan decides, and wasm on one thread when asked.
interface Lane {
  key: string;
  backend: BackendChoice;
  dataParallel?: boolean;
}
const lanes: Lane[] = backends.flatMap((b): Lane[] =>
  b === 'wasm' && oneThreadToo
    ? [
        { key: b, backend: b },
        { key: 'wasm, one thread', backend: b, dataParallel: false },
      ]
    : [{ key: b, backend: b }],
);
const torchVersion = torchOk
  ? spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()
  : null;
const loadBefore = os.loadavg()[0];
console.log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}; ` +
    `PyTorch ${torchVersion ? `${torchVersion} (${torchThreads} threads)` : 'not available (python3 cannot import torch)'}; ` +
    `repeats ${repeats}, ${size.samples} samples × ${epochsArg || (quick ? 1 : "each workload's")} timed epochs after ≥ ${size.warmupSteps} warm-up steps; load average ${loadBefore.toFixed(1)}`,
);

// The wasm matmul ceiling per workload (bench/ceiling.ts), when measured on this machine.
const ceilingFile = path.join(here, 'ceiling.json');
const ceiling = new Map<string, number>(
  existsSync(ceilingFile)
    ? (JSON.parse(readFileSync(ceilingFile, 'utf8')) as { workload: string; wasmGflops: number }[]).map(
        (c) => [c.workload, c.wasmGflops],
      )
    : [],
);

export interface Row {
  workload: string;
  label: string;
  batch: number;
  backend: string;
  /** Threads Netwright trained with (2 = batches split across a worker thread). */
  threads: number;
  /** Median of the repeats, and the slowest and fastest. */
  samplesPerSec: number;
  spread: [number, number];
  /** Measured on a hardware GPU (WebGPU on a hardware adapter, or CUDA). */
  gpu: boolean;
  peakRssMb: number;
  torchThreads: number;
  /** How PyTorch's OpenMP threads waited in the reference: spinning (the default) or OMP_WAIT_POLICY=PASSIVE. */
  torchWaitPolicy: WaitPolicy | null;
  /** PyTorch's median each way it was measured. */
  torchMedians: Partial<Record<WaitPolicy, number>>;
  /** PyTorch's median over the same rounds, and its spread. */
  torchSamplesPerSec: number | null;
  torchSpread: [number, number] | null;
  torchPeakRssMb: number | null;
  ratio: number | null;
  /** GFLOP/s the training reached (3 × the forward multiply-adds × 2 per sample), and its share of
   *  the wasm SIMD128 matmul ceiling on as many threads (bench/ceiling.json); null off wasm. */
  gflops: number;
  ceilingShare: number | null;
  /** The first warm-up epoch's samples/s, median of the rounds; PyTorch's the same way. */
  firstEpochSamplesPerSec: number;
  torchFirstEpochSamplesPerSec: number | null;
  /** Samples per epoch, warm-up and timed epochs per measurement, load average when the workload began. */
  samples: number;
  warmupEpochs: number;
  timedEpochs: number;
  loadAverage: number;
  /** When this row was measured (ISO 8601). */
  measuredAt: string;
  /** Each round's pair: Netwright's samples/s and PyTorch's just before it. */
  rounds: { samplesPerSec: number; torchSamplesPerSec: number | null }[];
}
const rows: Row[] = [];
const mb = (kb: number) => Math.round(kb / 1024);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

for (const w of workloads) {
  console.log(`\n${w.id}: ${w.label}`);
  const loadAverage = Math.round(os.loadavg()[0] * 10) / 10;
  const torches = torchOk ? waitPolicies.map((p) => ({ policy: p, server: torchServer(w, p) })) : [];
  const children = new Map(lanes.map((l) => [l.key, tfjsChild(w, l.backend, l.dataParallel)]));
  const torchRunsBy = new Map<WaitPolicy, (number | null)[]>(waitPolicies.map((p) => [p, []]));
  const torchFirstBy = new Map<WaitPolicy, number[]>(waitPolicies.map((p) => [p, []]));
  const torchRssBy = new Map<WaitPolicy, number>();
  const runs = new Map<
    string,
    { res: TfjsResult; sps: number[]; first: number[]; rss: number; failed?: string }
  >();
  try {
    for (let r = 0; r < repeats; r++) {
      // Both ways each round, in turn first, so neither always runs right after the tfjs child.
      const said: string[] = [];
      for (const { policy, server } of r % 2 ? [...torches].reverse() : torches) {
        const t = await server.run();
        torchRunsBy.get(policy)!.push(t?.samplesPerSec ?? null);
        if (t) torchFirstBy.get(policy)!.push(t.firstEpochSamplesPerSec);
        if (t) torchRssBy.set(policy, Math.max(torchRssBy.get(policy) ?? 0, t.peakRssKb));
        if (t) said.push(`${fmt(t.samplesPerSec)} (${policy})`);
      }
      for (const { key: b, backend } of lanes) {
        if (backend === 'js' && r > 0) continue;
        const entry = runs.get(b);
        if (entry?.failed) continue;
        try {
          const { result, peakRssKb } = await children.get(b)!.run();
          const e = entry ?? { res: result, sps: [], first: [], rss: 0 };
          e.sps.push(result.samplesPerSec);
          e.first.push(result.firstEpochSamplesPerSec);
          e.rss = Math.max(e.rss, peakRssKb);
          e.res = result;
          runs.set(b, e);
          const leak = result.tensorsAfterEpoch.at(-1)! - result.tensorsAfterEpoch[0];
          console.log(
            `  round ${r + 1}: ${result.backend} ${fmt(result.samplesPerSec)} samples/s (first epoch ${fmt(result.firstEpochSamplesPerSec)})` +
              (said.length ? `, PyTorch ${said.join(' / ')} just before` : '') +
              (leak !== 0 ? `; tensors grew by ${leak} across epochs` : ''),
          );
        } catch (err) {
          console.log(`  ${b}: failed — ${(err as Error).message}`);
          runs.set(b, {
            res: undefined as never,
            sps: [],
            first: [],
            rss: 0,
            failed: (err as Error).message,
          });
        }
      }
    }
  } finally {
    for (const t of torches) t.server.close();
    for (const c of children.values()) c.close();
  }
  const torchMedians: Partial<Record<WaitPolicy, number>> = {};
  for (const [p, runs] of torchRunsBy) {
    const values = runs.filter((x): x is number => x !== null);
    if (values.length) torchMedians[p] = Math.round(median(values));
  }
  const best = (Object.entries(torchMedians) as [WaitPolicy, number][]).sort((a, b) => b[1] - a[1])[0];
  const torchPolicy = best ? best[0] : null;
  const torchRuns = torchPolicy ? torchRunsBy.get(torchPolicy)! : [];
  const torchRss = torchPolicy ? (torchRssBy.get(torchPolicy) ?? 0) : 0;
  const torchValues = torchRuns.filter((x): x is number => x !== null);
  const torchMedian = torchValues.length ? median(torchValues) : null;
  const torchFirst = torchPolicy ? torchFirstBy.get(torchPolicy)! : [];
  for (const [key, e] of runs) {
    if (e.failed || !e.sps.length) continue;
    const b = lanes.find((l) => l.key === key)!.backend;
    const sps = median(e.sps);
    rows.push({
      workload: w.id,
      label: w.label,
      batch: w.batch,
      backend: e.res.backend,
      threads: e.res.threads,
      samplesPerSec: Math.round(sps),
      spread: spread(e.sps).map(Math.round) as [number, number],
      gpu: !e.res.software && (b === 'webgpu' || e.res.backend === 'tensorflow-gpu'),
      peakRssMb: mb(e.rss),
      torchThreads: Number(torchThreads),
      torchWaitPolicy: torchPolicy,
      torchMedians,
      torchSamplesPerSec: torchMedian === null ? null : Math.round(torchMedian),
      torchSpread: torchValues.length ? (spread(torchValues).map(Math.round) as [number, number]) : null,
      torchPeakRssMb: torchValues.length ? mb(torchRss) : null,
      ratio: torchMedian === null ? null : Math.round((sps / torchMedian) * 100) / 100,
      gflops: Math.round(((sps * 6 * w.forwardMacs) / 1e9) * 100) / 100,
      ceilingShare:
        b === 'wasm' && ceiling.has(w.id)
          ? Math.round(((sps * 6 * w.forwardMacs) / 1e9 / (ceiling.get(w.id)! * e.res.threads)) * 100) / 100
          : null,
      firstEpochSamplesPerSec: Math.round(median(e.first)),
      torchFirstEpochSamplesPerSec: torchFirst.length ? Math.round(median(torchFirst)) : null,
      samples: size.samples,
      warmupEpochs: warmupEpochs(size.samples, w.batch, size.warmupSteps),
      timedEpochs: timedEpochs(w),
      loadAverage,
      measuredAt: new Date().toISOString(),
      rounds: e.sps.map((s, i) => ({
        samplesPerSec: Math.round(s),
        torchSamplesPerSec: torchRuns[i] === null ? null : Math.round(torchRuns[i]),
      })),
    });
  }
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `\n${pad('workload', 9)}${pad('backend', 12)}${pad('samples/s (min–max)', 26)}${pad('PyTorch (min–max)', 26)}${pad('ratio', 7)}${pad('GFLOP/s (of ceiling)', 22)}${pad('first epoch (PyTorch)', 24)}peak RSS (PyTorch)`,
);
for (const r of rows) {
  const torchCell =
    r.torchSamplesPerSec === null
      ? '—'
      : `${fmt(r.torchSamplesPerSec)} (${r.torchSpread!.map(fmt).join('–')})${r.torchWaitPolicy === 'passive' ? ' P' : ''}`;
  console.log(
    pad(r.workload, 9) +
      pad(r.backend, 12) +
      pad(`${fmt(r.samplesPerSec)} (${r.spread.map(fmt).join('–')})`, 26) +
      pad(torchCell, 26) +
      pad(r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`, 7) +
      pad(`${r.gflops}${r.ceilingShare === null ? '' : ` (${Math.round(r.ceilingShare * 100)}%)`}`, 22) +
      pad(
        `${fmt(r.firstEpochSamplesPerSec)} (${r.torchFirstEpochSamplesPerSec === null ? '—' : fmt(r.torchFirstEpochSamplesPerSec)})`,
        24,
      ) +
      `${r.peakRssMb} MB (${r.torchPeakRssMb ?? '—'} MB)`,
  );
}
console.log(
  `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after` +
    (waitPolicies.length > 1
      ? '; PyTorch: the better of its two wait policies (P: OMP_WAIT_POLICY=PASSIVE)'
      : ''),
);
if (!quick) {
  // Rows of workloads not run this time stay from the run that measured them (each row says when).
  const file = path.join(here, 'results.json');
  const earlier: { workload: string }[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const ran = new Set(rows.map((r) => r.workload));
  const kept = earlier.filter((r) => !ran.has(r.workload));
  const order = (id: string) => WORKLOADS.findIndex((w) => w.id === id);
  const all = [...kept, ...rows].sort((a, b) => order(a.workload) - order(b.workload));
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), path.join(here, 'results.json'))}`);
}
