// How the fused training ops reach tfjs-layers: each wraps a layer class's `call`, so the same
// class, weights and serialisation run one op in training where it applies and tfjs' own call
// everywhere else (docs/ARCHITECTURE.md, "Decisions"). Its kernels register on the wasm backend.
import * as tf from '@tensorflow/tfjs';

type Inputs = tf.Tensor | tf.Tensor[];
type Kwargs = Record<string, unknown> | undefined;
type LayerCall<L> = (this: L, inputs: Inputs, kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

/** A training op's switch and call count: tests turn it off to compare with tfjs' own path
 *  and count its calls to check that it ran. */
export class TrainingOpSwitch {
  enabled = true;
  calls = 0;
  /** Whether a layer call may take the op: switched on, in training, on the wasm backend. */
  admits(kwargs: Kwargs): boolean {
    return this.enabled && kwargs?.training === true && tf.getBackend() === 'wasm';
  }
}

/** The one tensor a layer was called with, or null (several inputs). */
export function singleInput(inputs: Inputs): tf.Tensor | null {
  return Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
}

/** Wrap `call` of the class `probe` is an instance of (a layer made only to reach its class):
 *  `route` returns the fused op's output, or null where it does not apply and tfjs' call runs. */
export function routeLayerCall<L>(
  probe: unknown,
  route: (layer: L, inputs: Inputs, kwargs: Kwargs) => tf.Tensor | null,
): void {
  const proto = (probe as { constructor: { prototype: { call: LayerCall<L> } } }).constructor.prototype;
  const original = proto.call;
  proto.call = function (this: L, inputs, kwargs) {
    return route(this, inputs, kwargs) ?? original.call(this, inputs, kwargs);
  };
}

/** Register each [kernel name, kernel function] on the wasm backend unless one is registered. */
export function registerWasmKernels(kernels: readonly (readonly [string, unknown])[]): void {
  for (const [kernelName, fn] of kernels) {
    if (!tf.getKernel(kernelName, 'wasm'))
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: fn as tf.KernelFunc });
  }
}
