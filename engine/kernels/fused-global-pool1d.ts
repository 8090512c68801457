// GlobalAveragePooling1D in training on the WebAssembly backend as one op: tfjs-layers runs it as a
// Mean, whose gradient is a Reshape, a tensor of ones filled in JavaScript and uploaded, a Multiply
// and a RealDiv, and the engine keeps a copy of the input for it. Here the forward is one kernel
// (simd/conv.wat meanSteps) and the gradient one more (meanStepsGrad), which needs only the input's
// length, so nothing is saved. Same layer class; anything else (inference, other backends,
// channels not in fours) keeps tfjs' path.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { convKernels, heapOffset } from './simd/module.ts';
import { registerWasmKernels, routeLayerCall, singleInput } from './layer-routing.ts';

const FORWARD = 'NetwrightMeanSteps';
const BACKWARD = 'NetwrightMeanStepsGrad';

function forwardKernel({ inputs, backend }: WasmKernelArgs): TensorInfo {
  const { x } = inputs;
  const [N, L, C] = x.shape;
  const y = allocF32(backend, [N, C]);
  convKernels(backend)!.meanSteps(heapOffset(backend, x), heapOffset(backend, y), N, L, C, 1 / L);
  return y;
}

function backwardKernel({ inputs, backend, attrs }: WasmKernelArgs<{ steps: number }>): TensorInfo {
  const { dy } = inputs;
  const [N, C] = dy.shape;
  const L = attrs.steps;
  const dx = allocF32(backend, [N, L, C]);
  convKernels(backend)!.meanStepsGrad(heapOffset(backend, dy), heapOffset(backend, dx), N, L, C, 1 / L);
  return dx;
}

const gradient: tf.GradConfig = {
  kernelName: FORWARD,
  gradFunc: (dy, _saved, attrs) => ({
    x: () => tf.engine().runKernel(BACKWARD, { dy: dy as tf.Tensor }, attrs) as tf.Tensor,
  }),
};

let enabled = true;
let calls = 0;
let installed = false;

/** Tests compare against tfjs' own path by turning this one off. */
export function setFusedGlobalPool1dEnabled(on: boolean): void {
  enabled = on;
}

/** How many GlobalAveragePooling1D calls took the fused path (tests check that it ran). */
export function fusedGlobalPool1dCalls(): number {
  return calls;
}

/** The one input when the fused path applies, else null. */
function fusable(
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
): tf.Tensor | null {
  if (!enabled || kwargs?.training !== true || tf.getBackend() !== 'wasm') return null;
  if (!convKernels(tf.backend() as BackendWasm)) return null;
  const x = singleInput(inputs);
  if (!x || x.rank !== 3 || x.dtype !== 'float32' || x.size === 0) return null;
  const [, , C] = x.shape as [number, number, number];
  return C % 4 === 0 ? x : null;
}

/** Register the op's kernels and gradient and route tfjs-layers' GlobalAveragePooling1D in training
 *  through it where it applies (idempotent). */
export function installFusedGlobalPool1d(): void {
  if (installed) return;
  installed = true;
  registerWasmKernels([
    [FORWARD, forwardKernel],
    [BACKWARD, backwardKernel],
  ]);
  if (!tf.getGradient(FORWARD)) tf.registerGradient(gradient);
  routeLayerCall(tf.layers.globalAveragePooling1d(), (_layer, inputs, kwargs) => {
    const x = fusable(inputs, kwargs);
    if (!x) return null;
    calls++;
    return tf.engine().runKernel(FORWARD, { x }, { steps: x.shape[1] } as never) as tf.Tensor;
  });
}
