// `npx tsx bench/winograd-conv.ts [rounds]`: CPU time of one 3×3 stride-1 Conv2D on the WebAssembly
// backend, the Winograd path (engine/kernels/conv2d-winograd.ts) against the backend's own (XNNPACK),
// interleaved round by round, median and spread over the rounds, for the residual CNN's layers at one
// thread's share (32 rows) and wider ones.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { setWinogradConv2D } from '../engine/kernels/conv2d-winograd.ts';
import { median, spread } from './stats.ts';

const rounds = Number(process.argv[2] ?? 5);
const CALLS = 20;
await selectBackend('wasm');
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
];
for (const [shape, co] of cases) {
  const x = tf.randomNormal(shape) as tf.Tensor4D;
  // New weights every call, as in training.
  const filters = Array.from({ length: CALLS }, () => tf.randomNormal([3, 3, shape[3], co]) as tf.Tensor4D);
  const time = (on: boolean) => {
    setWinogradConv2D(on);
    const t0 = cpuMs();
    for (const f of filters) tf.conv2d(x, f, 1, 'same').dispose();
    return (cpuMs() - t0) / CALLS;
  };
  time(true);
  time(false);
  const ms: Record<'winograd' | 'xnnpack', number[]> = { winograd: [], xnnpack: [] };
  for (let r = 0; r < rounds; r++) {
    ms.winograd.push(time(true));
    ms.xnnpack.push(time(false));
  }
  const show = (xs: number[]) =>
    `${median(xs).toFixed(3)} (${spread(xs)
      .map((v) => v.toFixed(3))
      .join('–')})`;
  console.log(
    `[${shape}] → ${co} 'same': XNNPACK ${show(ms.xnnpack)} ms, Winograd ${show(ms.winograd)} ms per call (CPU time, ${rounds} rounds of ${CALLS})`,
  );
  tf.dispose([x, ...filters]);
}
setWinogradConv2D(true);
