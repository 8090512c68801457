// Conv2DBackpropFilter on WebGPU as matrix products (docs/ARCHITECTURE.md, "WebGPU"). tfjs-backend-
// webgpu 4.22's own kernel runs one GPU thread per filter weight, each summing over every batch row
// and output position in turn: a 3×3×16×16 filter is 2,304 threads for a whole GPU, and the time
// grows with the batch, so an NVIDIA H200 trained the residual CNN slower than one CPU core
// (bench/KERNEL-MEASUREMENTS.md). Here each filter tap (r, c) is the product of the input window
// it sees (a strided slice of the zero-padded input, [rows, Cin]) with the output gradient
// ([rows, Cout]), batched over groups of batch rows so the GPU has many tiles to work on, then
// summed over the groups. Only the backend's own kernels run (pad, slice, batched matmul, sum,
// stack), so it computes what the definition says, in a different order of summation.
import type * as tfjs from '@tensorflow/tfjs';

type Info = tfjs.TensorInfo;
type Kernel = (args: { inputs: unknown; backend: unknown; attrs: unknown }) => Info;

/** At most this many floats in a tap's per-group products ([groups, Cin, Cout]) at once. */
const GROUP_FLOATS = 1 << 22;

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tfjs.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** The largest divisor of n that is at most cap (at least 1). */
export function largestDivisorAtMost(n: number, cap: number): number {
  for (let g = Math.max(1, Math.min(n, Math.floor(cap))); g > 1; g--) if (n % g === 0) return g;
  return 1;
}

let installed = false;

/** Replaces webgpu's Conv2DBackpropFilter (channels-last inputs; others keep tfjs's kernel). */
export function installWebGpuConvFilterGrad(tf: typeof tfjs): void {
  if (installed) return;
  const original = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
  const kernel = (name: string) => tf.getKernel(name, 'webgpu')?.kernelFunc as Kernel | undefined;
  const [pad, slice, reshape, matMul, sum, pack] = [
    'PadV2',
    'StridedSlice',
    'Reshape',
    'BatchMatMul',
    'Sum',
    'Pack',
  ].map(kernel);
  if (!original || !pad || !slice || !reshape || !matMul || !sum || !pack) return;
  installed = true;

  const kernelFunc = (args: { inputs: { x: Info; dy: Info }; backend: unknown; attrs: Attrs }) => {
    const { inputs, backend, attrs } = args;
    const { x, dy } = inputs;
    if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32')
      return original.kernelFunc(args as never) as Info;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { batchSize: n, inHeight, inWidth, inChannels: cin, outChannels: cout } = info;
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
    const { filterHeight: kh, filterWidth: kw } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const temps: Info[] = [];
    const keep = (t: Info) => (temps.push(t), t);
    try {
      // The input, zero-padded so that every tap's window lies inside it.
      const bottom = Math.max(0, kh - 1 + sh * (oh - 1) - top - (inHeight - 1));
      const right = Math.max(0, kw - 1 + sw * (ow - 1) - left - (inWidth - 1));
      const padded =
        top || left || bottom || right
          ? keep(
              pad({
                inputs: { x },
                backend,
                attrs: {
                  paddings: [
                    [0, 0],
                    [top, bottom],
                    [left, right],
                    [0, 0],
                  ],
                  constantValue: 0,
                },
              }),
            )
          : x;
      const groups = largestDivisorAtMost(n, GROUP_FLOATS / (cin * cout));
      const rows = (n / groups) * oh * ow;
      const dyRows = keep(reshape({ inputs: { x: dy }, backend, attrs: { shape: [groups, rows, cout] } }));
      const taps: Info[] = [];
      for (let r = 0; r < kh; r++)
        for (let c = 0; c < kw; c++) {
          const window = keep(
            slice({
              inputs: { x: padded },
              backend,
              attrs: {
                begin: [0, r, c, 0],
                end: [n, r + sh * (oh - 1) + 1, c + sw * (ow - 1) + 1, cin],
                strides: [1, sh, sw, 1],
                beginMask: 0,
                endMask: 0,
                ellipsisMask: 0,
                newAxisMask: 0,
                shrinkAxisMask: 0,
              },
            }),
          );
          const windowRows = keep(
            reshape({ inputs: { x: window }, backend, attrs: { shape: [groups, rows, cin] } }),
          );
          const products = keep(
            matMul({
              inputs: { a: windowRows, b: dyRows },
              backend,
              attrs: { transposeA: true, transposeB: false },
            }),
          );
          const tap =
            groups > 1
              ? sum({ inputs: { x: products }, backend, attrs: { axis: [0], keepDims: false } })
              : reshape({ inputs: { x: products }, backend, attrs: { shape: [cin, cout] } });
          taps.push(keep(tap));
        }
      const stacked = keep(pack({ inputs: taps, backend, attrs: { axis: 0 } }));
      return reshape({ inputs: { x: stacked }, backend, attrs: { shape: [kh, kw, cin, cout] } });
    } finally {
      for (const t of temps) (backend as { disposeData(id: unknown): void }).disposeData(t.dataId);
    }
  };
  tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as unknown as tfjs.KernelFunc });
}
