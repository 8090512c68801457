// `npx tsx bench/winograd-phases.ts [rounds]`: where the Winograd convolution's time goes
// (engine/kernels/conv2d-winograd.ts, simd/winograd.wat): CPU time of each phase over all of a
// convolution's blocks (input transform, the 16 batched products, output transform; and for the filter
// gradient the output-gradient transform and its products), median and spread over the rounds, with
// the products' GFLOP/s, for the residual CNN's 3×3 layers at one thread's share (32 rows).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../engine/backend.ts';
import { allocF32, free } from '../engine/kernels/wasm-heap.ts';
import { heapOffset, winogradKernels } from '../engine/kernels/simd/module.ts';
import { median, spread } from './stats.ts';

const rounds = Number(process.argv[2] ?? 5);
const CALLS = 10;
await selectBackend('wasm');
const backend = tf.backend() as BackendWasm;
const k = winogradKernels(backend)!;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const show = (xs: number[]) =>
  `${median(xs).toFixed(3)} (${spread(xs)
    .map((v) => v.toFixed(3))
    .join('–')})`;

for (const [m, N, H, W, C, CO] of [
  [2, 32, 32, 32, 16, 16],
  [4, 32, 32, 32, 16, 16],
  [2, 32, 16, 16, 16, 16],
  [4, 32, 16, 16, 16, 16],
]) {
  const xis = (m + 2) ** 2;
  const TH = Math.ceil(H / m);
  const TW = Math.ceil(W / m);
  const tiles = N * TH * TW;
  const ts = Math.max(2, Math.min(64, 2 * Math.floor(8192 / (xis * Math.max(C, CO)))));
  const [input, output, gradOutput] =
    m === 4 ? [k.wg4Input, k.wg4Output, k.wg4GradOutput] : [k.wgInput, k.wgOutput, k.wgGradOutput];
  const x = tf.randomNormal([N, H, W, C]);
  const dy = tf.randomNormal([N, H, W, CO]);
  const u = tf.randomNormal([xis, C, CO]);
  const du = tf.zeros([xis, C, CO]);
  const y = allocF32(backend, [N, H, W, CO]);
  const scratch = allocF32(backend, [xis * (ts * (C + CO) + 32)]);
  const pv = heapOffset(backend, scratch);
  const pm = pv + xis * (ts * C * 4 + 64);
  const [px, pdy, pu, pdu, py] = [x, dy, u, du, y].map((t) => heapOffset(backend, t as never));
  const blocks = (f: (t0: number, tb: number) => void) => {
    for (let t0 = 0; t0 < tiles; t0 += ts) f(t0, Math.min(ts, tiles - t0));
  };
  const phases: Record<string, (t0: number, tb: number) => void> = {
    'input transform': (t0, tb) => input(px, pv, H, W, C, TH, TW, 1, 1, t0, tb, ts),
    'products (forward)': (t0, tb) => k.wgMul(pv, pu, pm, C, CO, tb + (tb & 1), ts, xis),
    'output transform': (t0, tb) => output(pm, py, H, W, CO, TH, TW, t0, tb, ts),
    'output-gradient transform': (t0, tb) => gradOutput(pdy, pm, H, W, CO, TH, TW, t0, tb, ts),
    'products (filter gradient)': (_t0, tb) => k.wgGradMul(pv, pm, pdu, C, CO, tb, ts, xis),
  };
  const ms: Record<string, number[]> = Object.fromEntries(Object.keys(phases).map((p) => [p, []]));
  for (let r = -1; r < rounds; r++)
    for (const [name, f] of Object.entries(phases)) {
      const t0 = cpuMs();
      for (let i = 0; i < CALLS; i++) blocks(f);
      if (r >= 0) ms[name].push((cpuMs() - t0) / CALLS);
    }
  const flops = 2 * tiles * xis * C * CO;
  for (const [name, xs] of Object.entries(ms))
    console.log(
      `F(${m}×${m}) [${N}, ${H}, ${W}, ${C}] → ${CO} ${name}: ${show(xs)} ms per convolution` +
        (name.startsWith('products') ? `, ${(flops / median(xs) / 1e6).toFixed(1)} GFLOP/s` : ''),
    );
  free(backend, scratch);
  free(backend, y);
  tf.dispose([x, dy, u, du]);
}
