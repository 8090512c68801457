// `npx tsx bench/dense-ab.ts [workload ids, comma-separated] [rounds]`: CPU time of one-thread
// training steps on WebAssembly (engine/train/host-step.ts: forward, backward, host loss and Adam)
// with the fused Dense op (engine/kernels/fused-dense.ts) against tfjs' own Dense path, in
// alternating rounds of the same process, so both see the same load and the same warmed-up engine.
// Prints per workload and path the median and spread over the rounds of the CPU time per step.
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { hostStep } from '../engine/train/host-step.ts';
import { setFusedDenseEnabled } from '../engine/kernels/fused-dense.ts';
import { WORKLOADS, CLASSES } from './workloads.ts';
import { median, spread } from './stats.ts';

const ids = (process.argv[2] ?? 'mlp,mlp3,cnn').split(',');
const rounds = Number(process.argv[3] ?? 5);
const STEPS = 40;
const { tf } = await selectBackend('wasm');
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

for (const id of ids) {
  const w = WORKLOADS.find((x) => x.id === id)!;
  const { model } = compileGraph(tf, w.graph);
  const step = hostStep(tf, model, tf.train.adam(0.001), 'categoricalCrossentropy')!;
  const x = tf.randomUniform([w.batch, ...w.inputShape]);
  const y = tf.oneHot(tf.randomUniform([w.batch], 0, CLASSES, 'int32') as tfjs.Tensor1D, CLASSES);
  const times: Record<'tfjs' | 'fused', number[]> = { tfjs: [], fused: [] };
  for (let r = -1; r < rounds; r++) {
    for (const mode of r % 2 ? (['fused', 'tfjs'] as const) : (['tfjs', 'fused'] as const)) {
      setFusedDenseEnabled(mode === 'fused');
      for (let i = 0; i < 5; i++) step.step([x], y); // settle after the switch
      const t0 = cpuMs();
      for (let i = 0; i < STEPS; i++) step.step([x], y);
      if (r >= 0) times[mode].push((cpuMs() - t0) / STEPS); // round −1 warms up
    }
  }
  setFusedDenseEnabled(true);
  const show = (mode: 'tfjs' | 'fused') => {
    const [lo, hi] = spread(times[mode]);
    return `${mode} ${median(times[mode]).toFixed(3)} (${lo.toFixed(3)}–${hi.toFixed(3)})`;
  };
  console.log(
    `${id} batch ${w.batch}, ms CPU per step over ${rounds} rounds of ${STEPS}: ${show('tfjs')}, ${show('fused')}`,
  );
  tf.dispose([x, y]);
  model.dispose();
}
