// `npx tsx bench/cold-steps.ts [workload id, bench/workloads.ts] [runs] [steps]`: how a data-parallel
// training run's step time falls while V8 compiles. Each run is a fresh startDataParallel (a new
// replica worker and isolate, as every trainLoop starts one) in this one process (as the bench's
// child keeps its process across rounds), the second half always on the replica; prints per run the
// wall time per step (median of the group's steps) for steps 1–32 (the bench's warm-up epoch at batch
// 64), 33–96 (its timed epochs), 97–256 and 257–steps, the time startDataParallel took, and this
// thread's, the replica's and V8's helper threads' CPU per step over steps 33–96 (from 96 steps).
import type * as tfjs from '@tensorflow/tfjs';
import os from 'node:os';
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { mulberry32 } from '../engine/random.ts';
import { startDataParallel } from '../engine/train/parallel/data-parallel.ts';
import { randomData } from './tfjs-run.ts';
import { WORKLOADS } from './workloads.ts';
import { median } from './stats.ts';
import { processCpuMs, threadCpuMs, threads } from './thread-cpu.ts';

const id = process.argv[2] ?? 'conv1d';
const runs = Number(process.argv[3] ?? 2);
const steps = Number(process.argv[4] ?? 400);
const w = WORKLOADS.find((x) => x.id === id)!;
const { tf } = await selectBackend('wasm');
const train = randomData(w, 42, 2048);
const GROUPS = (
  [
    [1, 32],
    [33, 96],
    [97, 256],
    [257, steps],
  ] as [number, number][]
).filter(([a, b]) => a <= b && b <= steps);

const load = os.loadavg()[0];
const lines: string[] = [];
// Threads started by the runs (the replica workers; a later run may reuse one), for their CPU time.
const ours = new Set<string>();
for (let r = 0; r < runs; r++) {
  const { model } = compileGraph(tf, w.graph);
  const optimizer: tfjs.Optimizer = tf.train.adam(0.001);
  const before = new Set(threads());
  const t0Start = performance.now();
  const dp = await startDataParallel({
    tf,
    model,
    optimizer,
    loss: 'categoricalCrossentropy',
    train,
    batchSize: w.batch,
    seed: 1,
    secondHalf: 'replica',
  });
  const startMs = performance.now() - t0Start;
  for (const t of threads()) if (!before.has(t)) ours.add(t);
  const live = new Set(threads());
  const replica = [...ours].filter((t) => live.has(t));
  const replicaCpu = () => replica.reduce((s, t) => s + threadCpuMs(t), 0);
  const rng = mulberry32(3);
  const wall: number[] = [];
  let cpu0 = 0;
  let rep0 = 0;
  let own0 = 0;
  let timedCpu = [0, 0, 0];
  for (let s = 1; s <= steps; s++) {
    if (s === 33) [cpu0, rep0, own0] = [processCpuMs(), replicaCpu(), threadCpuMs()];
    const rows = Int32Array.from({ length: w.batch }, (_, i) => (s * 67 + i * 31) % 2048);
    const t0 = performance.now();
    dp.step(rows, rng);
    wall.push(performance.now() - t0);
    if (s === 96) {
      const own = threadCpuMs() - own0;
      const rep = replicaCpu() - rep0;
      timedCpu = [own / 64, rep / 64, (processCpuMs() - cpu0 - own - rep) / 64];
    }
  }
  await dp.dispose();
  model.dispose();
  const groups = GROUPS.map(([a, b]) => median(wall.slice(a - 1, b)).toFixed(2)).join(' / ');
  const mean = (wall.slice(32, 96).reduce((a, b) => a + b, 0) / 64).toFixed(2);
  lines.push(
    `  run ${r + 1}: start ${startMs.toFixed(0)} ms, wall ms/step ${groups}; steps 33–96 mean ${mean}, CPU this ${timedCpu[0].toFixed(2)} replica ${timedCpu[1].toFixed(2)} helpers ${timedCpu[2].toFixed(2)}`,
  );
}
console.log(
  `${id}, batch ${w.batch}, ${runs} fresh data-parallel runs × ${steps} steps, load ${load.toFixed(1)}→${os.loadavg()[0].toFixed(1)}; medians of steps ${GROUPS.map(([a, b]) => `${a}–${b}`).join(' / ')}`,
);
for (const l of lines) console.log(l);
