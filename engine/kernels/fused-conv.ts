// Conv1D and Conv2D layers in training on the WebAssembly backend as one op with its own gradient:
// convolution + bias + activation forward; backward the activation's gradient with the bias gradient
// in one pass, then the input and filter gradients, each computed only when the tape needs it (a
// model's first convolution never needs its input's). tfjs runs a Conv1D as expandDims, Conv2D,
// squeeze, bias add and activation (a Conv2D in training likewise, unfused), each an engine op with
// its own gradient, ~20 ops per layer and step; here a layer is one forward op and at most three
// backward ops, on the tensors as they lie (a Conv1D's [N, L, C] is read as [N, 1, L, C] without a
// copy). A Conv1D's convolution and its stride-1 input gradient are simd/conv.wat's conv1d, which
// reads each output's window in place, and its filter gradient with few input channels kernels.wat's
// strided product over the same windows; the rest goes to the backend's registered kernels (XNNPACK
// and the project's, wasm-kernels.ts), then the Dense op's bias and relu pass (simd/dense.wat, whose
// gradient pass serves both ops). Same weights, same layer classes: saved models are unchanged;
// anything else (inference, other backends, dilation, other activations, filters not in fours)
// keeps tfjs' path. Measurements: bench/KERNEL-MEASUREMENTS.md.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  allocF32,
  free,
  heapF32,
  wasmKernel,
  withShape,
  type TensorInfo,
  type WasmKernelArgs,
} from './wasm-heap.ts';
import { convKernels, denseKernels, heapOffset, simdKernels } from './simd/module.ts';
import { TrainingOpSwitch, registerWasmKernels, routeLayerCall, singleInput } from './layer-routing.ts';
import { convInfo } from './window-geometry.ts';

const FORWARD = 'NetwrightConv';
const ACT_GRAD = 'NetwrightConvActGrad';
const GRAD_INPUT = 'NetwrightConvGradInput';
const GRAD_FILTER = 'NetwrightConvGradFilter';

type Activation = 'linear' | 'relu';

interface ConvAttrs {
  /** One stride per spatial axis (1 for a Conv1D, 2 for a Conv2D). */
  strides: number[];
  pad: 'same' | 'valid';
  activation: Activation;
  hasBias: boolean;
}

/** An input or output shape as the 2-D kernels see it: a Conv1D's [N, L, C] is [N, 1, L, C]. */
const image = (s: readonly number[]): number[] => (s.length === 3 ? [s[0], 1, s[1], s[2]] : [...s]);
/** A filter as the 2-D kernels see it: a Conv1D's [k, C, F] is [1, k, C, F]. */
const filter2d = (s: readonly number[]): number[] => (s.length === 3 ? [1, ...s] : [...s]);
const pair = (strides: number[]): [number, number] =>
  strides.length === 1 ? [1, strides[0]] : [strides[0], strides[1]];
/** A 2-D kernel's result under the caller's rank (a Conv1D's [N, 1, L, F] is [N, L, F]). */
const asRank = (t: TensorInfo, rank: number): TensorInfo =>
  rank === 3 ? { dataId: t.dataId, shape: [t.shape[0], t.shape[2], t.shape[3]], dtype: t.dtype } : t;

/** Run the registered 2-D kernel `name` on 2-D views of `inputs` (no copies). */
function on2d(
  backend: BackendWasm,
  name: string,
  inputs: Record<string, [TensorInfo, number[]]>,
  attrs: Record<string, unknown>,
): TensorInfo {
  const views: Record<string, TensorInfo> = {};
  for (const [key, [t, shape]] of Object.entries(inputs)) views[key] = withShape(backend, t, shape);
  try {
    return wasmKernel(name)({ inputs: views, backend, attrs });
  } finally {
    for (const v of Object.values(views)) free(backend, v);
  }
}

const at = (backend: BackendWasm, t: TensorInfo) => heapOffset(backend, t);

const geometries = new Map<string, { OL: number; left: number }>();

/** The geometry of a Conv1D (x [N, L, C], filter [KT, C, F]): output length and left padding,
 *  worked out once per layer shape (every step asks again). */
function geometry1d(xShape: number[], filterShape: number[], attrs: ConvAttrs) {
  const key = `${xShape[1]},${filterShape[0]},${attrs.strides[0]},${attrs.pad}`;
  let g = geometries.get(key);
  if (!g) {
    const info = convInfo(image(xShape), filter2d(filterShape), {
      strides: pair(attrs.strides),
      pad: attrs.pad,
    });
    g = { OL: info.outWidth, left: info.padInfo.left };
    geometries.set(key, g);
  }
  return g;
}

/** A Conv1D on the direct SIMD path (conv.wat conv1d) where it is on (setDirectConv1d). */
function forward1d(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  attrs: ConvAttrs,
) {
  const [N, L, C] = x.shape;
  const [KT, , F] = filter.shape;
  const { OL, left } = geometry1d(x.shape, filter.shape, attrs);
  const y = allocF32(backend, [N, OL, F]);
  convKernels(backend)!.conv1d(
    at(backend, x),
    at(backend, filter),
    bias ? at(backend, bias) : 0,
    at(backend, y),
    N,
    L,
    C,
    OL,
    KT,
    F,
    attrs.strides[0],
    left,
    attrs.activation === 'relu' ? 1 : 0,
  );
  return y;
}

function forwardKernel({ inputs, backend, attrs }: WasmKernelArgs<ConvAttrs>): TensorInfo {
  const { x, filter, bias } = inputs;
  if (direct1d && x.shape.length === 3) return forward1d(backend, x, filter, bias, attrs);
  const z = on2d(
    backend,
    'Conv2D',
    { x: [x, image(x.shape)], filter: [filter, filter2d(filter.shape)] },
    { strides: pair(attrs.strides), pad: attrs.pad, dataFormat: 'NHWC', dilations: [1, 1] },
  );
  const relu = attrs.activation === 'relu' ? 1 : 0;
  if (bias || relu) {
    const rows = z.shape.slice(0, 3).reduce((a, b) => a * b, 1);
    denseKernels(backend)!.biasAct(
      at(backend, z),
      bias ? at(backend, bias) : 0,
      rows,
      z.shape[3],
      bias ? 1 : 0,
      relu,
    );
  }
  return asRank(z, x.shape.length);
}

/** [dz] or [dz, db]: the gradient through the activation (dy itself when linear), and the bias's. */
function actGradKernel({ inputs, backend, attrs }: WasmKernelArgs<ConvAttrs>): TensorInfo[] {
  const { dy, y } = inputs;
  const F = dy.shape[dy.shape.length - 1];
  const relu = attrs.activation === 'relu';
  const dz = relu ? allocF32(backend, dy.shape) : withShape(backend, dy, dy.shape);
  const db = attrs.hasBias ? allocF32(backend, [F]) : null;
  if (!relu && !db) return [dz]; // linear without bias: nothing to compute, dz is dy
  const rows = dy.shape.reduce((a, b) => a * b, 1) / F;
  denseKernels(backend)!.actGrad(
    at(backend, dy),
    at(backend, y),
    at(backend, dz),
    db ? at(backend, db) : 0,
    rows,
    F,
    relu ? 1 : 0,
    db ? 1 : 0,
  );
  return db ? [dz, db] : [dz];
}

/** A stride-1 Conv1D's input gradient on the direct path: the convolution of dz [N, OL, F] with the
 *  filter reversed along its taps and its channel axes swapped ([KT, F, C]), padded KT − 1 − left. */
function gradInput1d(
  backend: BackendWasm,
  dz: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs & { inputShape: number[] },
) {
  const [N, L, C] = attrs.inputShape;
  const [KT, , F] = filter.shape;
  const { left } = geometry1d(attrs.inputShape, filter.shape, attrs);
  const conv = convKernels(backend)!;
  const flipped = allocF32(backend, [KT, F, C]);
  conv.flipFilter(at(backend, filter), at(backend, flipped), KT, C, F);
  const dx = allocF32(backend, [N, L, C]);
  conv.conv1d(
    at(backend, dz),
    at(backend, flipped),
    0,
    at(backend, dx),
    N,
    dz.shape[1],
    F,
    L,
    KT,
    C,
    1,
    KT - 1 - left,
    0,
  );
  free(backend, flipped);
  return dx;
}

function gradInputKernel({
  inputs,
  backend,
  attrs,
}: WasmKernelArgs<ConvAttrs & { inputShape: number[] }>): TensorInfo {
  const { dz, filter } = inputs;
  const C = attrs.inputShape[attrs.inputShape.length - 1];
  if (direct1d && dz.shape.length === 3 && attrs.strides[0] === 1 && C % 4 === 0)
    return gradInput1d(backend, dz, filter, attrs);
  const dx = on2d(
    backend,
    'Conv2DBackpropInput',
    { dy: [dz, image(dz.shape)], filter: [filter, filter2d(filter.shape)] },
    { strides: pair(attrs.strides), pad: attrs.pad, dataFormat: 'NHWC', inputShape: image(attrs.inputShape) },
  );
  return asRank(dx, attrs.inputShape.length);
}

/** A Conv1D's filter gradient on the direct path: per sample, Σ_t window(t)ᵀ · dz[t] as one strided
 *  product (kernels.wat matStrided) that reads each output's window of x in place, the windows
 *  s·C floats apart; x is copied zero-padded first only where the windows reach past it. */
function gradFilter1d(
  backend: BackendWasm,
  x: TensorInfo,
  dz: TensorInfo,
  attrs: ConvAttrs & { filterShape: number[] },
) {
  const [N, L, C] = x.shape;
  const [KT, , F] = attrs.filterShape;
  const [, OL] = dz.shape;
  const s = attrs.strides[0];
  const { left } = geometry1d(x.shape, attrs.filterShape, attrs);
  const span = (OL - 1) * s + KT; // input positions the windows cover, from −left
  let src = x;
  let rows = L; // positions per sample in src
  if (left > 0 || span - left > L) {
    rows = span;
    src = allocF32(backend, [N, rows, C]);
    const xs = heapF32(backend, x);
    const ps = heapF32(backend, src).fill(0);
    const take = Math.min(L, rows - left) * C;
    for (let n = 0; n < N; n++) ps.set(xs.subarray(n * L * C, n * L * C + take), (n * rows + left) * C);
  }
  const dw = allocF32(backend, attrs.filterShape);
  const simd = simdKernels(backend)!;
  const [pa, pd, po] = [at(backend, src), at(backend, dz), at(backend, dw)];
  const accumulate = (n: number) => (n > 0 ? 1 : 0);
  for (let n = 0; n < N; n++)
    simd.matStrided(
      pa + 4 * n * rows * C,
      pd + 4 * n * OL * F,
      po,
      KT * C,
      OL,
      F,
      accumulate(n),
      4,
      4 * s * C,
    );
  if (src !== x) free(backend, src);
  return dw;
}

/** Input channels from which a Conv1D's filter gradient goes to the backend's tap-by-tap kernel
 *  (conv2d-backprop-filter.ts convFilterTap, each tap's outer products over channel rows) instead of
 *  gradFilter1d's per-sample products, whose rows are the window elements: the latter wins by far
 *  for one or two channels, the two tie at 4–8, the tap kernel wins from 16
 *  (bench/KERNEL-MEASUREMENTS.md). */
const TAP_FILTER_CHANNELS = 16;

function gradFilterKernel({
  inputs,
  backend,
  attrs,
}: WasmKernelArgs<ConvAttrs & { filterShape: number[] }>): TensorInfo {
  const { x, dz } = inputs;
  if (direct1d && x.shape.length === 3 && x.shape[2] < TAP_FILTER_CHANNELS && simdKernels(backend))
    return gradFilter1d(backend, x, dz, attrs);
  const dw = on2d(
    backend,
    'Conv2DBackpropFilter',
    { x: [x, image(x.shape)], dy: [dz, image(dz.shape)] },
    {
      strides: pair(attrs.strides),
      pad: attrs.pad,
      dataFormat: 'NHWC',
      filterShape: filter2d(attrs.filterShape),
    },
  );
  return { dataId: dw.dataId, shape: attrs.filterShape, dtype: dw.dtype };
}

const gradient: tf.GradConfig = {
  kernelName: FORWARD,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved;
    const a = attrs as unknown as ConvAttrs;
    const run = (name: string, inputs: tf.NamedTensorMap, extra: object) =>
      tf.engine().runKernel(name, inputs, { ...a, ...extra } as never);
    const [dz, db] = run(ACT_GRAD, { dy: dy as tf.Tensor, y }, {}) as tf.Tensor[];
    return {
      x: () => run(GRAD_INPUT, { dz, filter }, { inputShape: x.shape }) as tf.Tensor,
      filter: () => run(GRAD_FILTER, { x, dz }, { filterShape: filter.shape }) as tf.Tensor,
      bias: () => db,
    };
  },
};

/** act(conv(x, filter) + bias) for channels-last x, no dilation, filters in fours, on wasm with SIMD. */
export function fusedConv(
  x: tf.Tensor,
  filter: tf.Tensor,
  bias: tf.Tensor | null,
  strides: number[],
  pad: 'same' | 'valid',
  activation: Activation,
): tf.Tensor {
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  return tf
    .engine()
    .runKernel(FORWARD, inputs, { strides, pad, activation, hasBias: !!bias } as never) as tf.Tensor;
}

interface ConvLayerLike {
  rank: number;
  dataFormat: string;
  padding: string;
  strides: number[];
  dilationRate: number | number[];
  filters: number;
  activation: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
}

let direct1d = true;
const opSwitch = new TrainingOpSwitch();
let installed = false;

/** Tests compare against tfjs' own path by turning this one off. */
export function setFusedConvEnabled(on: boolean): void {
  opSwitch.enabled = on;
}

/** Tests and measurements reach the backend's kernels for Conv1D too by turning this off. */
export function setDirectConv1d(on: boolean): void {
  direct1d = on;
}

/** How many convolution layer calls took the fused path (tests check that it ran). */
export function fusedConvCalls(): number {
  return opSwitch.calls;
}

/** The one input and the activation when the fused path applies, else null. */
function fusable(
  layer: ConvLayerLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
): { x: tf.Tensor; activation: Activation } | null {
  if (!opSwitch.admits(kwargs)) return null;
  if ((layer.rank !== 1 && layer.rank !== 2) || !convKernels(tf.backend() as BackendWasm)) return null;
  const x = singleInput(inputs);
  if (!x || x.rank !== layer.rank + 2 || x.dtype !== 'float32' || x.size === 0) return null;
  if (layer.dataFormat !== 'channelsLast' || layer.filters % 4 !== 0) return null;
  if (layer.padding !== 'same' && layer.padding !== 'valid') return null;
  const dilations = Array.isArray(layer.dilationRate) ? layer.dilationRate : [layer.dilationRate];
  if (dilations.some((d) => d !== 1)) return null;
  const activation = layer.activation.getClassName();
  if (activation !== 'linear' && activation !== 'relu') return null;
  return { x, activation };
}

/** Register the op's kernels and gradient, and route tfjs-layers' Conv1D and Conv2D in training
 *  through it where it applies (idempotent). */
export function installFusedConv(): void {
  if (installed) return;
  installed = true;
  registerWasmKernels([
    [FORWARD, forwardKernel],
    [ACT_GRAD, actGradKernel],
    [GRAD_INPUT, gradInputKernel],
    [GRAD_FILTER, gradFilterKernel],
  ]);
  if (!tf.getGradient(FORWARD)) tf.registerGradient(gradient);
  for (const probe of [
    tf.layers.conv1d({ filters: 1, kernelSize: 1 }),
    tf.layers.conv2d({ filters: 1, kernelSize: 1 }),
  ]) {
    routeLayerCall<ConvLayerLike>(probe, (layer, inputs, kwargs) => {
      const f = fusable(layer, inputs, kwargs);
      if (!f) return null;
      opSwitch.calls++;
      return tf.tidy(() =>
        fusedConv(
          f.x,
          layer.kernel.read(),
          layer.bias ? layer.bias.read() : null,
          layer.strides,
          layer.padding as 'same' | 'valid',
          f.activation,
        ),
      );
    });
  }
}
