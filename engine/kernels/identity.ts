// Identity and same-dtype Cast on the WebAssembly backend without a copy. The backend's own kernels
// copy the data, and tfjs' engine runs Identity (engine.clone) for every tensor it saves for the
// backward pass: 29 copies per CNN benchmark step, three of them [32, 26, 26, 16]. The cpu and
// webgl backends share the buffer instead (a reference count), as the wasm Reshape kernel already
// does; tensors are immutable and no kernel here writes into an input, so sharing is safe.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { wrapWasmKernel, type KernelFn, type TensorInfo } from './wasm-heap.ts';

function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function makeIdentity(original: KernelFn): KernelFn {
  return (args) => (args.inputs.x.dtype === 'string' ? original(args) : share(args.backend, args.inputs.x));
}

export function makeCast(original: KernelFn): KernelFn {
  return (args) => {
    const { x } = args.inputs;
    return x.dtype !== 'string' && x.dtype === args.attrs.dtype ? share(args.backend, x) : original(args);
  };
}

/** Replace the wasm Identity and Cast kernels with the sharing ones (other casts keep the original). */
export function registerWasmSharingKernels(): void {
  wrapWasmKernel('Identity', makeIdentity);
  wrapWasmKernel('Cast', makeCast);
}
