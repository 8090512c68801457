// `npx tsx bench/conv1d-kernels.ts [rounds]`: CPU time of each kernel of the `conv1d` workload's
// share (32 rows: the fused Conv1D op's forward, input and filter gradients, the fused
// MaxPooling1D's gradient) on the WebAssembly backend: the direct 1-D kernels in their plain and
// (where the engine has relaxed SIMD) fused multiply-add builds, and the backend's 2-D kernels
// (setDirectConv1d(false)), interleaved round by round, median and spread over rounds.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { setSimdBuild, simdBuild, type SimdBuild } from '../engine/kernels/simd/module.ts';
import { setDirectConv1d } from '../engine/kernels/fused-conv.ts';
import { cpuMs, median, spread } from './stats.ts';

const rounds = Number(process.argv[2] ?? 5);
const CALLS = 50;
await selectBackend('wasm');
const best = simdBuild();
const modes: [string, SimdBuild, boolean][] = [
  ['plain', 'plain', true],
  ...(best === 'relaxed' ? [['relaxed', 'relaxed', true] as [string, SimdBuild, boolean]] : []),
  ['2-D kernels', best, false],
];
const N = 32;
// [L, C, KT, F] of the workload's three layers ('valid', stride 1, relu, bias).
const layers: [number, number, number, number][] = [
  [256, 1, 9, 16],
  [62, 16, 9, 32],
  [13, 32, 5, 32],
];
const attrs = { strides: [1], pad: 'valid', activation: 'relu', hasBias: true };
const run = (name: string, inputs: tf.NamedTensorMap, extra: object = {}) =>
  tf.engine().runKernel(name, inputs, { ...attrs, ...extra } as never) as tf.Tensor;
const ops: [string, () => void][] = [];
for (const [L, C, KT, F] of layers) {
  const x = tf.randomNormal([N, L, C]);
  const filter = tf.randomNormal([KT, C, F]);
  const bias = tf.randomNormal([F]);
  const dz = tf.randomNormal([N, L - KT + 1, F]);
  const tag = `[${N}, ${L}, ${C}] k${KT} → ${F}`;
  ops.push([`${tag} forward`, () => run('NetwrightConv', { x, filter, bias }).dispose()]);
  if (C > 1)
    ops.push([
      `${tag} input gradient`,
      () => run('NetwrightConvGradInput', { dz, filter }, { inputShape: x.shape }).dispose(),
    ]);
  ops.push([
    `${tag} filter gradient`,
    () => run('NetwrightConvGradFilter', { x, dz }, { filterShape: filter.shape }).dispose(),
  ]);
}
for (const [L, C] of [
  [248, 16],
  [54, 32],
]) {
  const x = tf.relu(tf.randomNormal([N, L, C]));
  const dy = tf.randomNormal([N, Math.floor(L / 4), C]);
  ops.push([
    `[${N}, ${L}, ${C}] pool 4 gradient`,
    () =>
      (
        tf.engine().runKernel('NetwrightMaxPool1DGrad', { dy, x }, { pool: 4 } as never) as tf.Tensor
      ).dispose(),
  ]);
}
const show = (xs: number[]) =>
  `${median(xs).toFixed(4)} (${spread(xs)
    .map((v) => v.toFixed(4))
    .join('–')})`;
for (const [name, op] of ops) {
  const time = ([, b, direct]: [string, SimdBuild, boolean]) => {
    setSimdBuild(b);
    setDirectConv1d(direct);
    const t0 = cpuMs();
    for (let i = 0; i < CALLS; i++) op();
    return (cpuMs() - t0) / CALLS;
  };
  modes.forEach(time);
  const ms: Record<string, number[]> = Object.fromEntries(modes.map(([m]) => [m, []]));
  for (let r = 0; r < rounds; r++) for (const m of modes) ms[m[0]].push(time(m));
  console.log(`${name}: ${modes.map(([m]) => `${m} ${show(ms[m])}`).join(', ')} ms per call`);
}
setSimdBuild(undefined);
setDirectConv1d(true);
