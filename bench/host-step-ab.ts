// `npx tsx bench/host-step-ab.ts [workload ids, comma-separated] [rounds]`: CPU time of one-thread
// training steps on WebAssembly (engine/train/host-step.ts: forward, backward, loss and Adam) in
// three configurations, in rotating order within each round of one process so all see the same load
// and the same warmed-up engine: `tfjs` (tfjs' own Dense, Adam on host arrays), `fused` (the fused
// Dense op, engine/kernels/fused-dense.ts), `fused+heap` (and Adam on the backend's heap,
// engine/train/heap-adam.ts). Prints per workload and configuration the median and spread over the
// rounds of the CPU time per step.
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { hostStep, type HostStep } from '../engine/train/host-step.ts';
import { setFusedDenseEnabled } from '../engine/kernels/fused-dense.ts';
import { setHeapAdamEnabled } from '../engine/train/heap-adam.ts';
import { WORKLOADS, CLASSES } from './workloads.ts';
import { median, spread } from './stats.ts';

const ids = (process.argv[2] ?? 'mlp,mlp3,cnn').split(',');
const rounds = Number(process.argv[3] ?? 5);
const STEPS = 40;
const MODES = ['tfjs', 'fused', 'fused+heap'] as const;
type Mode = (typeof MODES)[number];
const { tf } = await selectBackend('wasm');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

for (const id of ids) {
  const w = WORKLOADS.find((x) => x.id === id)!;
  const { model } = compileGraph(tf, w.graph);
  // One step (and so one Adam state) per configuration, on the same model.
  const steps = {} as Record<Mode, HostStep>;
  for (const mode of MODES) {
    setHeapAdamEnabled(mode === 'fused+heap');
    steps[mode] = hostStep(tf, model, tf.train.adam(0.001), 'categoricalCrossentropy')!;
  }
  setHeapAdamEnabled(true);
  const x = tf.randomUniform([w.batch, ...w.inputShape]);
  const y = tf.oneHot(tf.randomUniform([w.batch], 0, CLASSES, 'int32') as tfjs.Tensor1D, CLASSES);
  const times = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  for (let r = -1; r < rounds; r++) {
    const order = MODES.map((_, i) => MODES[(i + r + 1) % MODES.length]);
    for (const mode of order) {
      setFusedDenseEnabled(mode !== 'tfjs');
      for (let i = 0; i < 5; i++) steps[mode].step([x], y); // settle after the switch
      const t0 = cpuMs();
      for (let i = 0; i < STEPS; i++) steps[mode].step([x], y);
      if (r >= 0) times[mode].push((cpuMs() - t0) / STEPS); // round −1 warms up
    }
  }
  setFusedDenseEnabled(true);
  const show = (mode: Mode) => {
    const [lo, hi] = spread(times[mode]);
    return `${mode} ${median(times[mode]).toFixed(3)} (${lo.toFixed(3)}–${hi.toFixed(3)})`;
  };
  console.log(
    `${id} batch ${w.batch}, ms CPU per step, ${rounds} rounds of ${STEPS}: ${MODES.map(show).join(', ')}`,
  );
  for (const mode of MODES) steps[mode].dispose();
  tf.dispose([x, y]);
  model.dispose();
}
