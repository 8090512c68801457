// `npx tsx bench/winograd-conv.ts [rounds]`: CPU time of one 3×3 stride-1 Conv2D and its filter
// gradient on the WebAssembly backend, the Winograd path (engine/kernels/conv2d-winograd.ts) as
// F(2×2, 3×3) and as F(4×4, 3×3) (each in its plain and, where the engine has relaxed SIMD, its fused
// multiply-add build) against the path without it (XNNPACK; the convFilterTap kernel), interleaved
// round by round, median and spread over the rounds, for the residual CNN's layers at one thread's
// share (32 rows) and wider ones.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { setWinogradConv2D, setWinogradTile } from '../engine/kernels/conv2d-winograd.ts';
import { setSimdBuild, simdBuild, type SimdBuild } from '../engine/kernels/simd/module.ts';
import { median, spread } from './stats.ts';

const rounds = Number(process.argv[2] ?? 5);
const CALLS = 20;
await selectBackend('wasm');
const builds: SimdBuild[] = simdBuild() === 'relaxed' ? ['plain', 'relaxed'] : ['plain'];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const cases: [[number, number, number, number], number][] = [
  [[32, 32, 32, 16], 16],
  [[32, 16, 16, 16], 16],
  [[32, 16, 16, 32], 32],
  [[32, 8, 8, 64], 64],
  [[32, 32, 32, 8], 8],
  [[32, 7, 7, 32], 32],
];
for (const [shape, co] of cases) {
  const x = tf.randomNormal(shape) as tf.Tensor4D;
  // New weights every call, as in training.
  const filters = Array.from({ length: CALLS }, () => tf.randomNormal([3, 3, shape[3], co]) as tf.Tensor4D);
  const dys = filters.map(() => tf.randomNormal([...shape.slice(0, 3), co]));
  const ops = {
    forward: () => filters.forEach((f) => tf.conv2d(x, f, 1, 'same').dispose()),
    'filter gradient': () =>
      dys.forEach((dy) =>
        (
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
            strides: 1,
            pad: 'same',
            dataFormat: 'NHWC',
            filterShape: [3, 3, shape[3], co],
          } as never) as tf.Tensor
        ).dispose(),
      ),
  };
  for (const [op, run] of Object.entries(ops)) {
    const modes = ['without', ...[2, 4].flatMap((m) => builds.map((b) => `F(${m}×${m}) ${b}`))];
    const time = (mode: string) => {
      setWinogradConv2D(mode !== 'without');
      setWinogradTile(mode.startsWith('F(4') ? 4 : 2);
      setSimdBuild(mode.endsWith('relaxed') ? 'relaxed' : 'plain');
      const t0 = cpuMs();
      run();
      return (cpuMs() - t0) / CALLS;
    };
    modes.forEach(time);
    const ms: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) for (const m of modes) ms[m].push(time(m));
    const show = (xs: number[]) =>
      `${median(xs).toFixed(3)} (${spread(xs)
        .map((v) => v.toFixed(3))
        .join('–')})`;
    console.log(
      `[${shape}] → ${co} 'same' ${op}: ${modes.map((m) => `${m} ${show(ms[m])}`).join(', ')} ms per call (CPU time, ${rounds} rounds of ${CALLS})`,
    );
  }
  tf.dispose(dys);
  tf.dispose([x, ...filters]);
}
setWinogradConv2D(true);
setWinogradTile(undefined);
setSimdBuild(undefined);
