// Tile on the WebAssembly backend when the result is the input repeated whole (every tiled axis has
// size 1 and comes before the input's other axes): a BatchNormalization gradient tiles the per-channel
// 1/σ [1, 1, 1, C] to the activation's full shape [N, H, W, C] in every training step, and the
// backend's own Tile computes each element's source index one by one, which dominated a residual
// CNN's step. Here the input is copied once and the filled part doubled with copyWithin. Every other
// Tile passes straight to the backend's kernel.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { wrapWasmKernel, type KernelFn, type TensorInfo } from './wasm-heap.ts';

/** How many whole copies of x the tile is, or 0 when it is not a repetition of the whole input. */
export function wholeRepeats(shape: number[], reps: number[]): number {
  if (reps.length !== shape.length) return 0;
  let copies = 1;
  let seenData = false;
  for (let i = 0; i < shape.length; i++) {
    if (reps[i] > 1) {
      if (shape[i] !== 1 || seenData) return 0;
      copies *= reps[i];
    }
    if (shape[i] > 1) seenData = true;
  }
  return copies;
}

function repeatWhole(backend: BackendWasm, x: TensorInfo, reps: number[], copies: number): TensorInfo {
  const out = backend.makeOutput(
    x.shape.map((d, i) => d * reps[i]),
    x.dtype,
  );
  const view = backend.typedArrayFromHeap(out);
  const n = view.length / copies;
  view.set(backend.typedArrayFromHeap(x));
  for (let filled = n; filled < view.length;) {
    const step = Math.min(filled, view.length - filled);
    view.copyWithin(filled, 0, step);
    filled += step;
  }
  return out;
}

export function makeTile(original: KernelFn): KernelFn {
  return (args) => {
    const { x } = args.inputs;
    const { reps } = args.attrs as { reps: number[] };
    const copies = x.dtype === 'string' ? 0 : wholeRepeats(x.shape, reps);
    const size = x.shape.reduce((p, d) => p * d, 1);
    if (copies < 2 || size === 0) return original(args);
    return repeatWhole(args.backend, x, reps, copies);
  };
}

/** Replace the wasm Tile with the wrapper. */
export function registerWasmTile(): void {
  wrapWasmKernel('Tile', makeTile);
}
