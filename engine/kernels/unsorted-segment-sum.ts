// UnsortedSegmentSum for the WebAssembly backend (missing there; the gradient of Gather, so of
// Embedding, needs it): out[s, …] = Σ over rows i with segmentIds[i] = s of x[i, …].
import { allocF32, heapF32, type TensorInfo, type WasmKernelArgs } from './wasm-heap.ts';

export function unsortedSegmentSum({
  inputs,
  backend,
  attrs,
}: WasmKernelArgs<{ numSegments: number }>): TensorInfo {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const out =
    x.dtype === 'int32'
      ? backend.makeOutput([numSegments, ...innerShape], 'int32')
      : allocF32(backend, [numSegments, ...innerShape]);
  const o = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xv = x.dtype === 'int32' ? (backend.typedArrayFromHeap(x) as Int32Array) : heapF32(backend, x);
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  o.fill(0);
  for (let i = 0; i < rows; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue; // TF drops out-of-range ids
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xv[src + j];
  }
  return out;
}
