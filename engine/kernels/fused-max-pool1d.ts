// MaxPooling1D in training on the WebAssembly backend as one op: tfjs-layers runs it as expandDims,
// a 2-D MaxPool and squeeze, three engine ops forward and three backward (with the reshapes'
// gradients), where the pool itself is one pass over the activation. Here the forward is one kernel
// (simd/conv.wat maxPool1d, for windows that tile the input) and the registered gradient one more
// (maxPool1dGrad, which writes every element of dx once: no clearing pass). Same layer class and config; anything else (inference, other backends,
// strides other than the pool size, 'same' padding, channels not in fours) keeps tfjs' path.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { convKernels, heapOffset } from './simd/module.ts';
import { TrainingOpSwitch, registerWasmKernels, routeLayerCall, singleInput } from './layer-routing.ts';

const FORWARD = 'NetwrightMaxPool1D';
const BACKWARD = 'NetwrightMaxPool1DGrad';

interface PoolAttrs {
  pool: number;
}

function forwardKernel({ inputs, backend, attrs }: WasmKernelArgs<PoolAttrs>): TensorInfo {
  const { x } = inputs;
  const [N, L, C] = x.shape;
  const OL = Math.floor(L / attrs.pool);
  const y = allocF32(backend, [N, OL, C]);
  convKernels(backend)!.maxPool1d(heapOffset(backend, x), heapOffset(backend, y), N, L, C, OL, attrs.pool);
  return y;
}

function backwardKernel({ inputs, backend, attrs }: WasmKernelArgs<PoolAttrs>): TensorInfo {
  const { dy, x } = inputs;
  const [N, L, C] = x.shape;
  const dx = allocF32(backend, x.shape);
  convKernels(backend)!.maxPool1dGrad(
    heapOffset(backend, x),
    heapOffset(backend, dy),
    heapOffset(backend, dx),
    N,
    L,
    C,
    dy.shape[1],
    attrs.pool,
  );
  return dx;
}

const gradient: tf.GradConfig = {
  kernelName: FORWARD,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => ({
    x: () => tf.engine().runKernel(BACKWARD, { dy: dy as tf.Tensor, x: saved[0] }, attrs) as tf.Tensor,
  }),
};

interface PoolLayerLike {
  poolSize: number[];
  strides: number[];
  padding: string;
}

const opSwitch = new TrainingOpSwitch();
let installed = false;

/** Tests compare against tfjs' own path by turning this one off. */
export function setFusedMaxPool1dEnabled(on: boolean): void {
  opSwitch.enabled = on;
}

/** How many MaxPooling1D calls took the fused path (tests check that it ran). */
export function fusedMaxPool1dCalls(): number {
  return opSwitch.calls;
}

/** The one input when the fused path applies, else null. */
function fusable(
  layer: PoolLayerLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
): tf.Tensor | null {
  if (!opSwitch.admits(kwargs)) return null;
  if (!convKernels(tf.backend() as BackendWasm)) return null;
  const x = singleInput(inputs);
  if (!x || x.rank !== 3 || x.dtype !== 'float32' || x.size === 0) return null;
  const [, L, C] = x.shape as [number, number, number];
  const pool = layer.poolSize[0];
  if (layer.strides[0] !== pool || layer.padding !== 'valid' || L < pool) return null;
  return C % 4 === 0 ? x : null;
}

/** Register the op's kernels and gradient and route tfjs-layers' MaxPooling1D in training through
 *  it where it applies (idempotent). */
export function installFusedMaxPool1d(): void {
  if (installed) return;
  installed = true;
  registerWasmKernels([
    [FORWARD, forwardKernel],
    [BACKWARD, backwardKernel],
  ]);
  if (!tf.getGradient(FORWARD)) tf.registerGradient(gradient);
  routeLayerCall<PoolLayerLike>(tf.layers.maxPooling1d({ poolSize: 2 }), (layer, inputs, kwargs) => {
    const x = fusable(layer, inputs, kwargs);
    if (!x) return null;
    opSwitch.calls++;
    return tf.engine().runKernel(FORWARD, { x }, { pool: layer.poolSize[0] } as never) as tf.Tensor;
  });
}
