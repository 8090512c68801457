// `npx tsx bench/backprop-input-route.ts [rounds]`: Conv2DBackpropInput on the WebAssembly backend,
// stride 1, where the input has more positions than dy ('valid' 3×3 convolutions), through the
// convolution of the padded dy (Winograd where it takes the shape) and through the product and
// scatter (engine/kernels/conv2d-backprop-input.ts, setStride1AsConv), alternating in each round; CPU
// time per call, median and range of the rounds' medians, with what `convolutionPays` picks.
import { selectBackend } from '../engine/backend.ts';
import { cpuMs, median, spread } from './stats.ts';
import { setStride1AsConv } from '../engine/kernels/conv2d-backprop-input.ts';

const rounds = Number(process.argv[2] ?? 5);
const { tf } = await selectBackend('wasm');

// [rows, input H = W, input channels, filters]: convnet's second convolution at 64 rows, then
// smaller maps whose position ratio (H·W over OH·OW) spans the 1.25–2.25 band.
const SHAPES: [number, number, number, number][] = [
  [64, 13, 32, 64],
  [32, 26, 32, 64],
  [32, 18, 16, 32],
  [32, 15, 32, 32],
  [64, 10, 32, 32],
  [64, 8, 16, 16],
  [64, 8, 32, 64],
  [64, 6, 32, 32],
];
const CALLS = 15;

for (const [n, h, c, co] of SHAPES) {
  const oh = h - 2;
  const dy = tf.randomNormal([n, oh, oh, co]);
  const filter = tf.randomNormal([3, 3, c, co]);
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', inputShape: [n, h, h, c] };
  const call = () => tf.dispose(tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as never));
  const modes = ['always', 'never', 'auto'] as const;
  const per: Record<string, number[]> = { always: [], never: [], auto: [] };
  for (const m of modes) {
    setStride1AsConv(m);
    for (let i = 0; i < 3; i++) call();
  }
  for (let r = 0; r < rounds; r++) {
    for (const m of modes) {
      setStride1AsConv(m);
      const t: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const t0 = cpuMs();
        call();
        t.push(cpuMs() - t0);
      }
      per[m].push(median(t));
    }
  }
  setStride1AsConv('auto');
  const fmt = (xs: number[]) =>
    `${median(xs).toFixed(3)} (${spread(xs)
      .map((v) => v.toFixed(3))
      .join('–')})`;
  console.log(
    `dy [${n}, ${oh}, ${oh}, ${co}] → x [${n}, ${h}, ${h}, ${c}] ratio ${((h * h) / (oh * oh)).toFixed(2)}: convolution ${fmt(per.always)} ms, product ${fmt(per.never)} ms, auto ${fmt(per.auto)} ms`,
  );
  tf.dispose([dy, filter]);
}
