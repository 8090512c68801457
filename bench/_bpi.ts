import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { setStride1AsConv } from '../engine/kernels/conv2d-backprop-input.ts';
await selectBackend('wasm');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const cases: [number[], number[], number[]][] = [
  [[64, 13, 13, 32], [3, 3, 32, 64], [64, 11, 11, 64]],
  [[64, 28, 28, 16], [3, 3, 16, 16], [64, 26, 26, 16]],
  [[32, 8, 8, 16], [3, 3, 16, 16], [32, 6, 6, 16]],
];
for (const [xs, fs, ds] of cases) {
  const dy = tf.randomNormal(ds); const fl = tf.randomNormal(fs);
  const run = (mode: 'always' | 'never') => { setStride1AsConv(mode); const t = cpu(); for (let i = 0; i < 10; i++) (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: fl }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: xs } as never) as tf.Tensor).dispose(); return (cpu() - t) / 10; };
  run('always'); run('never');
  const a: string[] = [], b: string[] = [];
  for (let r = 0; r < 4; r++) { a.push(run('always').toFixed(2)); b.push(run('never').toFixed(2)); }
  console.log(xs, 'conv (winograd)', a.join(' / '), 'product', b.join(' / '));
}
