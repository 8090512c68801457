// GlobalAveragePooling1D and GlobalAveragePooling2D (channels last) in training on the WebAssembly
// backend as one op: tfjs-layers runs them as a Mean, whose gradient is a Reshape, a tensor of
// ones filled in JavaScript and uploaded, a Multiply and a RealDiv, and the engine keeps a copy of
// the input for it. Here the forward is one kernel (simd/conv.wat meanSteps, the 2-D case's H·W
// positions being its steps) and the gradient one more (meanStepsGrad), which needs only the
// input's shape, so nothing is saved. Same layer classes; anything else (inference, other
// backends, channels first, channels not in fours) keeps tfjs' path.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';
import { convKernels, heapOffset } from './simd/module.ts';
import { TrainingOpSwitch, registerWasmKernels, routeLayerCall, singleInput } from './layer-routing.ts';

const FORWARD = 'NetwrightMeanSteps';
const BACKWARD = 'NetwrightMeanStepsGrad';

/** x [N, ...positions, C] as [N, L, C]. */
function steps(shape: number[]): number {
  return shape.slice(1, -1).reduce((a, b) => a * b, 1);
}

function forwardKernel({ inputs, backend }: WasmKernelArgs): TensorInfo {
  const { x } = inputs;
  const N = x.shape[0];
  const C = x.shape[x.shape.length - 1];
  const L = steps(x.shape);
  const y = allocF32(backend, [N, C]);
  convKernels(backend)!.meanSteps(heapOffset(backend, x), heapOffset(backend, y), N, L, C, 1 / L);
  return y;
}

function backwardKernel({ inputs, backend, attrs }: WasmKernelArgs<{ positions: number[] }>): TensorInfo {
  const { dy } = inputs;
  const [N, C] = dy.shape;
  const shape = [N, ...attrs.positions, C];
  const L = steps(shape);
  const dx = allocF32(backend, shape);
  convKernels(backend)!.meanStepsGrad(heapOffset(backend, dy), heapOffset(backend, dx), N, L, C, 1 / L);
  return dx;
}

const gradient: tf.GradConfig = {
  kernelName: FORWARD,
  gradFunc: (dy, _saved, attrs) => ({
    x: () => tf.engine().runKernel(BACKWARD, { dy: dy as tf.Tensor }, attrs) as tf.Tensor,
  }),
};

const opSwitch = new TrainingOpSwitch();
let installed = false;

/** Tests compare against tfjs' own path by turning this one off. */
export function setFusedGlobalPoolEnabled(on: boolean): void {
  opSwitch.enabled = on;
}

/** How many global average pooling calls took the fused path (tests check that it ran). */
export function fusedGlobalPoolCalls(): number {
  return opSwitch.calls;
}

/** The one input when the fused path applies to a rank-`rank` input, else null. */
function fusable(
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
  rank: number,
): tf.Tensor | null {
  if (!opSwitch.admits(kwargs)) return null;
  if (!convKernels(tf.backend() as BackendWasm)) return null;
  const x = singleInput(inputs);
  if (!x || x.rank !== rank || x.dtype !== 'float32' || x.size === 0) return null;
  return x.shape[rank - 1] % 4 === 0 ? x : null;
}

function route(x: tf.Tensor | null): tf.Tensor | null {
  if (!x) return null;
  opSwitch.calls++;
  const positions = x.shape.slice(1, -1);
  return tf.engine().runKernel(FORWARD, { x }, { positions } as never) as tf.Tensor;
}

/** Register the op's kernels and gradient and route tfjs-layers' GlobalAveragePooling1D and 2D in
 *  training through it where it applies (idempotent). */
export function installFusedGlobalPool(): void {
  if (installed) return;
  installed = true;
  registerWasmKernels([
    [FORWARD, forwardKernel],
    [BACKWARD, backwardKernel],
  ]);
  if (!tf.getGradient(FORWARD)) tf.registerGradient(gradient);
  routeLayerCall(tf.layers.globalAveragePooling1d(), (_layer, inputs, kwargs) =>
    route(fusable(inputs, kwargs, 3)),
  );
  routeLayerCall<{ dataFormat: string }>(tf.layers.globalAveragePooling2d({}), (layer, inputs, kwargs) =>
    route(layer.dataFormat === 'channelsLast' ? fusable(inputs, kwargs, 4) : null),
  );
}
