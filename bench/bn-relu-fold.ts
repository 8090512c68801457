// `npx tsx bench/bn-relu-fold.ts [workload id] [rows] [rounds]`: CPU time of one training share on
// the WebAssembly backend (one thread) with the ReLU after each BatchNormalization folded into the
// fused op (engine/kernels/batch-norm-relu-fold.ts) and without, the two models interleaved in every
// round; median and range of the rounds' per-share medians.
import { selectBackend } from '../engine/backend.ts';
import { cpuMs, median, spread } from './stats.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { setReluFoldEnabled } from '../engine/kernels/batch-norm-relu-fold.ts';
import { mulberry32, withRandom } from '../engine/random.ts';
import { objectiveFor, shareGradients } from '../engine/train/parallel/objective.ts';
import { WORKLOADS, CLASSES } from './workloads.ts';

const id = process.argv[2] ?? 'resnet';
const rows = Number(process.argv[3] ?? 32);
const rounds = Number(process.argv[4] ?? 5);
const w = WORKLOADS.find((x) => x.id === id)!;
const { tf } = await selectBackend('wasm');
const objective = objectiveFor(tf, 'categoricalCrossentropy');
const x = tf.randomNormal([rows, ...w.inputShape]);
const labels = tf.tensor1d(
  Array.from({ length: rows }, (_, i) => i % CLASSES),
  'int32',
);
const y = tf.oneHot(labels, CLASSES);

function variant(fold: boolean) {
  setReluFoldEnabled(fold);
  const { model } = withRandom(mulberry32(1), () => compileGraph(tf, w.graph));
  const variables = model.trainableWeights.map((v) => v.read() as import('@tensorflow/tfjs').Variable);
  return () => tf.dispose(shareGradients(tf, model, variables, objective, [x], y).grads);
}
const runs = { folded: variant(true), unfolded: variant(false) };
setReluFoldEnabled(true);

const STEPS = 20;
const perRound: Record<string, number[]> = { folded: [], unfolded: [] };
for (const run of Object.values(runs)) for (let i = 0; i < 10; i++) run();
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(runs)) {
    const t: number[] = [];
    for (let i = 0; i < STEPS; i++) {
      const t0 = cpuMs();
      run();
      t.push(cpuMs() - t0);
    }
    perRound[name].push(median(t));
  }
}
for (const [name, ms] of Object.entries(perRound))
  console.log(
    `${id} rows ${rows} ${name.padEnd(9)}: CPU per share median ${median(ms).toFixed(2)} ms (rounds ${spread(
      ms,
    )
      .map((v) => v.toFixed(2))
      .join('–')})`,
  );
