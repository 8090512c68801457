// `npx tsx bench/heap-adam-ab.ts [workload id] [rounds]`: what one-thread training on WebAssembly
// spends beside the forward and backward pass, with Adam on host arrays (parallel/host-optimizer.ts)
// and on the backend's heap (engine/train/heap-adam.ts): CPU time per step of each, and of the share
// alone (forward, backward, loss), in alternating blocks of one process on the same model. Prints the
// medians over the rounds and each step's excess over the share.
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { hostStep } from '../engine/train/host-step.ts';
import { setHeapAdamEnabled } from '../engine/train/heap-adam.ts';
import { objectiveFor, shareGradients } from '../engine/train/parallel/objective.ts';
import { WORKLOADS, CLASSES } from './workloads.ts';
import { median as med } from './stats.ts';
const id = process.argv[2] ?? 'mlp';
const { tf } = await selectBackend('wasm');
const w = WORKLOADS.find((x) => x.id === id)!;
const { model } = compileGraph(tf, w.graph);
setHeapAdamEnabled(false);
const arrays = hostStep(tf, model, tf.train.adam(0.001), 'categoricalCrossentropy')!;
setHeapAdamEnabled(true);
const heap = hostStep(tf, model, tf.train.adam(0.001), 'categoricalCrossentropy')!;
const variables = model.trainableWeights.map((v) => v.read() as tfjs.Variable);
const obj = objectiveFor(tf, 'categoricalCrossentropy');
const x = tf.randomUniform([w.batch, ...w.inputShape]);
const y = tf.oneHot(tf.randomUniform([w.batch], 0, CLASSES, 'int32') as tfjs.Tensor1D, CLASSES);
// CPU time of this process, so other work on the machine does not count.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const a: number[] = [],
  h: number[] = [],
  b: number[] = [];
const rounds = Number(process.argv[3] ?? 10);
for (let r = 0; r < rounds; r++) {
  for (let i = 0; i < 3; i++) arrays.step([x], y);
  let t0 = cpu();
  for (let i = 0; i < 50; i++) arrays.step([x], y);
  a.push((cpu() - t0) / 50);
  t0 = cpu();
  for (let i = 0; i < 50; i++) tf.dispose(shareGradients(tf, model, variables, obj, [x], y).grads);
  b.push((cpu() - t0) / 50);
  for (let i = 0; i < 3; i++) heap.step([x], y);
  t0 = cpu();
  for (let i = 0; i < 50; i++) heap.step([x], y);
  h.push((cpu() - t0) / 50);
}
console.log(
  `${id}: share ${med(b).toFixed(3)}, step with Adam on host arrays ${med(a).toFixed(3)} (+${(med(a) - med(b)).toFixed(3)}), on the heap ${med(h).toFixed(3)} (+${(med(h) - med(b)).toFixed(3)}) ms`,
);
