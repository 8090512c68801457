// `npx tsx bench/profile-step.ts [workload id, bench/workloads.ts] [rows]`: where one training step's time goes on the
// WebAssembly backend, one thread: wall time per step through the data-parallel share (forward,
// backward, loss, metric), the optimizer update, and tf.profile's kernel time by kernel.
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { objectiveFor, shareGradients } from '../engine/train/parallel/objective.ts';
import { hostOptimizer } from '../engine/train/parallel/host-optimizer.ts';
import { WORKLOADS, CLASSES } from './workloads.ts';

const id = process.argv[2] ?? 'cnn';
const rows = Number(process.argv[3] ?? 32);
const w = WORKLOADS.find((x) => x.id === id)!;
const { tf } = await selectBackend('wasm');
const { model } = compileGraph(tf, w.graph);
const variables = model.trainableWeights.map((v) => v.read() as import('@tensorflow/tfjs').Variable);
const objective = objectiveFor(tf, 'categoricalCrossentropy');
const opt: import('@tensorflow/tfjs').Optimizer = tf.train.adam(0.001);
const x = tf.randomUniform([rows, ...w.inputShape]);
const y = tf.oneHot(
  tf.randomUniform([rows], 0, CLASSES, 'int32') as import('@tensorflow/tfjs').Tensor1D,
  CLASSES,
);

const share = () => shareGradients(tf, model, variables, objective, [x], y);
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
// The host update data-parallel training uses instead (engine/train/parallel/host-optimizer.ts).
const host = hostOptimizer(
  tf.train.adam(0.001),
  variables.map((v) => v.size),
)!;
const hostWeights = variables.map((v) => Float32Array.from(v.dataSync()));
const hostGrads = variables.map((v) => new Float32Array(v.size).fill(1e-3));
const h0 = cpuMs();
for (let i = 0; i < N; i++) host.apply(hostWeights, hostGrads);
const tHost = cpuMs() - h0;
console.log(
  `${id} rows ${rows}: share ${(tShare / N).toFixed(3)} ms, tfjs Adam ${(tUpdate / N).toFixed(3)} ms, host Adam ${(tHost / N).toFixed(3)} ms per step (CPU time)`,
);

// The kernels of the share alone (data-parallel training updates the weights on the host). Each
// kernel's time is the median over STEPS steps of its call at that position in the step, so a
// step preempted by other work on the machine does not count.
const STEPS = 30;
const prof = await tf.profile(() => {
  for (let i = 0; i < STEPS; i++) tf.dispose(share().grads);
});
const leaves = prof.kernels.filter((k) => !k.name.endsWith('__op'));
const perStep = leaves.length / STEPS;
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
const byName = new Map<string, { ms: number; n: number }>();
for (let j = 0; j < perStep; j++) {
  const calls = Array.from({ length: STEPS }, (_, i) => leaves[i * perStep + j]);
  const e = byName.get(calls[0].name) ?? { ms: 0, n: 0 };
  e.ms += median(calls.map((k) => k.kernelTimeMs as number));
  e.n += 1;
  byName.set(calls[0].name, e);
}
const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
console.log(`kernel time ${total.toFixed(3)} ms per share (medians), ${perStep} kernels`);
for (const [name, e] of [...byName].sort((a, b) => b[1].ms - a[1].ms))
  console.log(`  ${name.padEnd(26)} ×${String(e.n).padEnd(4)} ${e.ms.toFixed(3)} ms`);
