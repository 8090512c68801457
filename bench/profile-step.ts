// `npx tsx bench/profile-step.ts [mlp|cnn|lstm] [rows]`: where one training step's time goes on the
// WebAssembly backend, one thread: wall time per step through the data-parallel share (forward,
// backward, loss, metric), the optimizer update, and tf.profile's kernel time by kernel.
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { lossFunction, metricFunction } from '../engine/train/losses.ts';
import { shareGradients } from '../engine/train/parallel/objective.ts';
import { WORKLOADS, CLASSES } from './workloads.ts';

const id = process.argv[2] ?? 'cnn';
const rows = Number(process.argv[3] ?? 32);
const w = WORKLOADS.find((x) => x.id === id)!;
const { tf } = await selectBackend('wasm');
const { model } = compileGraph(tf, w.graph);
const variables = model.trainableWeights.map((v) => v.read() as import('@tensorflow/tfjs').Variable);
const lossFn = lossFunction(tf, 'categoricalCrossentropy');
const metricFn = metricFunction(tf, 'categoricalCrossentropy');
const opt: import('@tensorflow/tfjs').Optimizer = tf.train.adam(0.001);
const x = tf.randomUniform([rows, ...w.inputShape]);
const y = tf.oneHot(tf.randomUniform([rows], 0, CLASSES, 'int32') as import('@tensorflow/tfjs').Tensor1D, CLASSES);

const share = () => shareGradients(tf, model, variables, lossFn, metricFn, [x], y);
const update = (grads: import('@tensorflow/tfjs').Tensor[]) => {
  const named: import('@tensorflow/tfjs').NamedTensorMap = {};
  variables.forEach((v, i) => (named[v.name] = grads[i]));
  opt.applyGradients(named);
};
for (let i = 0; i < 30; i++) {
  const r = share();
  update(r.grads);
  tf.dispose(r.grads);
}
const N = 200;
let tShare = 0;
let tUpdate = 0;
// CPU time of this process (one busy thread), so other work on the machine does not count.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let i = 0; i < N; i++) {
  const t0 = cpuMs();
  const r = share();
  const t1 = cpuMs();
  update(r.grads);
  tf.dispose(r.grads);
  tUpdate += cpuMs() - t1;
  tShare += t1 - t0;
}
console.log(`${id} rows ${rows}: share ${(tShare / N).toFixed(3)} ms, update ${(tUpdate / N).toFixed(3)} ms per step (CPU time)`);

const prof = await tf.profile(() => {
  for (let i = 0; i < 10; i++) {
    const r = share();
    update(r.grads);
    tf.dispose(r.grads);
  }
});
const byName = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) {
  const e = byName.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += k.kernelTimeMs as number;
  e.n += 1;
  byName.set(k.name, e);
}
const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
console.log(`kernel time ${(total / 10).toFixed(3)} ms per step, ${prof.kernels.length / 10} kernels per step`);
for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms))
  console.log(`  ${name.padEnd(26)} ×${String(e.n / 10).padEnd(4)} ${(e.ms / 10).toFixed(3)} ms`);
