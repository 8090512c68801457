// A Dense layer in training on the WebAssembly backend as one op with a registered gradient. tfjs
// runs it as a matMul, a bias add and an activation (a fused matMul only outside gradient
// recording), and backward as their gradients: ~10 kernel calls per layer, each with the engine's
// allocation, bookkeeping and tape entry, which cost more than the arithmetic on an MLP's small
// products. Here the forward is one engine op: the product through the backend's BatchMatMul kernel
// (the project's, batch-matmul.ts, called directly), then the bias and relu in one SIMD pass
// (simd/dense.wat). Backward, one SIMD pass gives the pre-activation gradient and the bias
// gradient, and each product is computed only when its input needs a gradient (the gradient
// functions are lazy, so a first layer never computes the gradient of the data). Linear, relu and
// softmax (a classifier head: a few values per row, in JavaScript on the heap, which saves tfjs'
// Softmax and the four kernels of its gradient) run inside the op; any other activation is applied
// after it by the layer's own activation, as tfjs does. Same weights, same equations, same class: saved models
// are unchanged; inference, other backends and layers of other shapes keep tfjs' path
// (docs/ARCHITECTURE.md, "Decisions").
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, batchMatMul, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { denseKernels, heapOffset } from './simd/module.ts';
import { TrainingOpSwitch, routeLayerCall, singleInput } from './layer-routing.ts';

const LINEAR = 'NetwrightDense';
const RELU = 'NetwrightDenseRelu';
const SOFTMAX = 'NetwrightDenseSoftmax';

type Activation = 'linear' | 'relu' | 'softmax';

/** The backend's heap as floats (a fresh view: the memory may have grown). */
function heapFloats(backend: BackendWasm): Float32Array {
  return new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
}

/** Softmax of each of M rows of N floats at float index `at`, in place: tfjs' equations (the row's
 *  maximum subtracted, exp, divided by the sum); a classifier head's few values per row. */
function softmaxRows(h: Float32Array, at: number, M: number, N: number): void {
  for (let r = at; r < at + M * N; r += N) {
    let max = -Infinity;
    for (let j = r; j < r + N; j++) if (h[j] > max) max = h[j];
    let sum = 0;
    for (let j = r; j < r + N; j++) sum += h[j] = Math.exp(h[j] - max);
    for (let j = r; j < r + N; j++) h[j] /= sum;
  }
}

/** Softmax's gradient, tfjs' equation dz = (dy − Σ dy·p) · p per row, into dz. */
function softmaxGrad(h: Float32Array, dy: number, p: number, dz: number, M: number, N: number): void {
  for (let r = 0; r < M * N; r += N) {
    let dot = 0;
    for (let j = r; j < r + N; j++) dot += h[dy + j] * h[p + j];
    for (let j = r; j < r + N; j++) h[dz + j] = (h[dy + j] - dot) * h[p + j];
  }
}

interface Attrs {
  hasBias: boolean;
}

/** act(x · kernel + bias) for x [M, K], kernel [K, N], bias [N] (if any). */
function forward({ inputs, backend }: WasmKernelArgs, activation: Activation): TensorInfo {
  const { x, kernel, bias } = inputs;
  const y = batchMatMul(backend, x, kernel);
  const relu = activation === 'relu';
  const [M, N] = y.shape;
  const yAt = heapOffset(backend, y);
  if (bias || relu)
    denseKernels(backend)!.biasAct(
      yAt,
      bias ? heapOffset(backend, bias) : 0,
      M,
      N,
      bias ? 1 : 0,
      relu ? 1 : 0,
    );
  if (activation === 'softmax') softmaxRows(heapFloats(backend), yAt / 4, M, N);
  return y;
}

/** A backend tensor as an engine tensor, so the backward pass frees it with its other intermediates. */
function engineTensor(backend: BackendWasm, t: TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(t, backend);
}

/** The gradients of x, kernel and bias, each computed when backpropagation asks for it. */
function gradient(activation: Activation) {
  return (dy: tf.Tensor, saved: tf.Tensor[], attrs: unknown): Record<string, () => tf.Tensor> => {
    const [x, kernel, y] = saved;
    const { hasBias } = attrs as Attrs;
    const backend = tf.backend() as BackendWasm;
    const [M, N] = dy.shape;
    if (activation === 'softmax') {
      const ds = allocF32(backend, [M, N]);
      softmaxGrad(
        heapFloats(backend),
        heapOffset(backend, dy) / 4,
        heapOffset(backend, y) / 4,
        heapOffset(backend, ds) / 4,
        M,
        N,
      );
      dy = engineTensor(backend, ds);
    }
    const relu = activation === 'relu';
    const dz = relu ? allocF32(backend, [M, N]) : dy;
    const db = hasBias ? allocF32(backend, [N]) : null;
    if (relu || db)
      denseKernels(backend)!.actGrad(
        heapOffset(backend, dy),
        relu ? heapOffset(backend, y) : 0,
        relu ? heapOffset(backend, dz) : 0,
        db ? heapOffset(backend, db) : 0,
        M,
        N,
        relu ? 1 : 0,
        db ? 1 : 0,
      );
    // Engine tensors, so the backward pass frees them with its other intermediates.
    const dzt = relu ? engineTensor(backend, dz) : dy;
    const dbt = db && engineTensor(backend, db);
    return {
      x: () => engineTensor(backend, batchMatMul(backend, dzt, kernel, false, true)),
      kernel: () => engineTensor(backend, batchMatMul(backend, x, dzt, true, false)),
      bias: () => dbt!,
    };
  };
}

interface DenseLike {
  activation: { getClassName(): string; apply(t: tf.Tensor): tf.Tensor };
  kernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
}

let installed = false;
const opSwitch = new TrainingOpSwitch();

/** How many Dense calls took the fused path (tests check that it ran). */
export function fusedDenseCalls(): number {
  return opSwitch.calls;
}

/** Tests compare against tfjs' own path by turning the fused one off. */
export function setFusedDenseEnabled(on: boolean): void {
  opSwitch.enabled = on;
}

/** The layer's one input when the fused path applies (training on wasm with SIMD, a float input of
 *  rank ≥ 2 with rows, a 2-D kernel), else null. */
function fusable(
  layer: DenseLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
): tf.Tensor | null {
  if (!opSwitch.admits(kwargs)) return null;
  if (!denseKernels(tf.backend() as BackendWasm)) return null;
  const x = singleInput(inputs);
  if (!x || x.rank < 2 || x.dtype !== 'float32' || x.size === 0) return null;
  return layer.kernel.read().rank === 2 ? x : null;
}

/** Register the op on wasm and route tfjs-layers' Dense in training through it where it applies
 *  (idempotent). */
export function installFusedDense(): void {
  if (installed) return;
  installed = true;
  for (const [kernelName, activation] of [
    [LINEAR, 'linear'],
    [RELU, 'relu'],
    [SOFTMAX, 'softmax'],
  ] as const) {
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: ((args: WasmKernelArgs) => forward(args, activation)) as unknown as tf.KernelFunc,
    });
    tf.registerGradient({
      kernelName,
      inputsToSave: ['x', 'kernel'],
      outputsToSave: activation === 'linear' ? [] : [true],
      gradFunc: gradient(activation) as unknown as tf.GradFunc,
    });
  }
  routeLayerCall<DenseLike>(tf.layers.dense({ units: 1 }), (layer, inputs, kwargs) => {
    const x = fusable(layer, inputs, kwargs);
    if (!x) return null;
    opSwitch.calls++;
    return tf.tidy(() => {
      const activation = layer.activation.getClassName();
      const relu = activation === 'relu';
      const softmax = activation === 'softmax';
      const kernel = layer.kernel.read();
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1] as number]);
      const ins: tf.NamedTensorMap = layer.bias
        ? { x: flat, kernel, bias: layer.bias.read() }
        : { x: flat, kernel };
      const attrs: Attrs = { hasBias: !!layer.bias };
      const op = relu ? RELU : softmax ? SOFTMAX : LINEAR;
      let y = tf.engine().runKernel(op, ins, attrs as never) as tf.Tensor;
      if (x.rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1] as number]);
      return relu || softmax || activation === 'linear' ? y : layer.activation.apply(y);
    });
  });
}
