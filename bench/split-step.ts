// `npx tsx bench/split-step.ts [workload id, bench/workloads.ts] [batch] [blocks]`: one training
// step of a workload through data-parallel training (engine/train/parallel/), split across two
// threads ("split", each thread spinning for the other before it sleeps only while it arrives soon:
// data-parallel.ts ADAPTIVE_SPIN; "nospin": never spinning; "spin": always, 2 ms at the hand-offs and
// 0.5 ms at batch-statistics exchanges), against the same step on this thread alone (the whole batch in one pass for
// models with BatchNormalization, else both halves in turn: "alone") and against single-thread
// training's own step (engine/train/host-step.ts, the whole batch: "one", what plan.ts's one thread
// runs), in interleaved blocks of steps. Prints the load average, and per mode the wall time per step
// and the process's CPU time per step (both threads, spinning included), and on Linux this
// thread's own CPU time per step ("this") and the replica worker's ("replica"; what is left of the
// process's CPU is V8's helper threads: compilation, garbage collection), median and spread over the
// blocks. On a busy machine the wall times follow the load; the CPU times say
// what splitting costs in work, and so what it can give where both cores are free.
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { mulberry32 } from '../engine/random.ts';
import { NO_SPIN, startDataParallel, type Spin } from '../engine/train/parallel/data-parallel.ts';
import { rowsTensor } from '../engine/train/batch-rows.ts';
import { hostStep } from '../engine/train/host-step.ts';
import os from 'node:os';
import { randomData } from './tfjs-run.ts';
import { WORKLOADS } from './workloads.ts';
import { median, spread } from './stats.ts';
import { processCpuMs as cpuMs, threadCpuMs, threads } from './thread-cpu.ts';

const id = process.argv[2] ?? 'resnet';
const w = WORKLOADS.find((x) => x.id === id)!;
const batch = Number(process.argv[3] ?? w.batch);
const blocks = Number(process.argv[4] ?? 7);
const STEPS = 8;
const { tf } = await selectBackend('wasm');
// The threads each mode started (its replica's worker), for their CPU time.
const started = new Map<object, string[]>();
const replicaCpuMs = (dp: object) => (started.get(dp) ?? []).reduce((sum, tid) => sum + threadCpuMs(tid), 0);

const train = randomData(w, 42, batch * 4);
const start = async (secondHalf: 'replica' | 'trainer', spin?: Spin) => {
  const { model } = compileGraph(tf, w.graph);
  const optimizer: tfjs.Optimizer = tf.train.adam(0.001);
  const before = new Set(threads());
  const dp = await startDataParallel({
    tf,
    model,
    optimizer,
    loss: 'categoricalCrossentropy',
    train,
    batchSize: batch,
    seed: 1,
    secondHalf,
    spin,
  });
  started.set(
    dp,
    threads().filter((t) => !before.has(t)),
  );
  return dp;
};
// Single-thread training's step, behind the same interface as a data-parallel one.
const one = () => {
  const { model } = compileGraph(tf, w.graph);
  const h = hostStep(tf, model, tf.train.adam(0.001), 'categoricalCrossentropy')!;
  const tensor = (t: { data: Float32Array; shape: number[] }, rows: Int32Array) => rowsTensor(tf, t, rows);
  return {
    step(rows: Int32Array) {
      const x = train.x.map((t) => tensor(t, rows));
      const y = tensor(train.y, rows);
      h.step(x, y);
      tf.dispose([...x, y]);
    },
    dispose: async () => model.dispose(),
  };
};
const modes = {
  split: await start('replica'),
  nospin: await start('replica', NO_SPIN),
  spin: await start('replica', { handOffMs: 2, exchangeMs: 0.5 }),
  alone: await start('trainer'),
  one: one(),
};
const rng = mulberry32(3);
let s = 0;
const rows = () => Int32Array.from({ length: batch }, (_, i) => (s++ * 7 + i) % (batch * 4));
type Times = { wall: number[]; cpu: number[]; own: number[]; replica: number[] };
const times = Object.fromEntries(
  Object.keys(modes).map((m) => [m, { wall: [], cpu: [], own: [], replica: [] }]),
) as unknown as Record<keyof typeof modes, Times>;
const load = [os.loadavg()[0]];
for (const dp of Object.values(modes)) for (let i = 0; i < 3; i++) dp.step(rows(), rng); // warm-up
for (let b = 0; b < blocks; b++) {
  for (const [mode, dp] of Object.entries(modes) as [
    keyof typeof modes,
    { step(rows: Int32Array, rng: () => number): void },
  ][]) {
    const c0 = cpuMs();
    const o0 = threadCpuMs();
    const r0 = replicaCpuMs(dp);
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) dp.step(rows(), rng);
    times[mode].wall.push((performance.now() - t0) / STEPS);
    times[mode].cpu.push((cpuMs() - c0) / STEPS);
    times[mode].own.push((threadCpuMs() - o0) / STEPS);
    times[mode].replica.push((replicaCpuMs(dp) - r0) / STEPS);
  }
}
const cell = (xs: number[]) =>
  `${median(xs).toFixed(1)} (${spread(xs)
    .map((x) => x.toFixed(1))
    .join('–')})`;
load.push(os.loadavg()[0]);
console.log(
  `${id}, batch ${batch}: ms per step, median (min–max) of ${blocks} blocks of ${STEPS} steps, load average ${load.map((l) => l.toFixed(1)).join('→')}`,
);
for (const [mode, t] of Object.entries(times))
  console.log(
    `  ${mode.padEnd(6)} wall ${cell(t.wall)}  CPU ${cell(t.cpu)}  this thread ${cell(t.own)}` +
      (mode === 'split' || mode === 'nospin' || mode === 'spin' ? `  replica ${cell(t.replica)}` : ''),
  );
for (const dp of Object.values(modes)) await dp.dispose();
