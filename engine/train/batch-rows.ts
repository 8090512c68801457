// A batch's rows as a tensor. On WebAssembly they are written straight into the backend's memory:
// cutting them into a host array and uploading it would copy every batch twice and allocate a new
// array per batch.
import type * as tfjs from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorData } from '../data/types.ts';

export function rowsTensor(tf: typeof tfjs, t: TensorData, rows: Int32Array): tfjs.Tensor {
  const shape = [rows.length, ...t.shape.slice(1)];
  if (tf.getBackend() !== 'wasm') return tf.tensor(takeRows(t, rows), shape);
  const backend = tf.backend() as BackendWasm;
  const info = backend.makeOutput(shape, 'float32');
  takeRowsInto(t, rows, backend.typedArrayFromHeap(info) as Float32Array);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

/** Rows `rows` of a [N, ...] host tensor, packed into one new array. */
function takeRows(t: TensorData, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * (t.data.length / t.shape[0]));
  takeRowsInto(t, rows, out);
  return out;
}

export function takeRowsInto(t: TensorData, rows: Int32Array, out: Float32Array): void {
  const per = t.data.length / t.shape[0];
  for (let i = 0; i < rows.length; i++) out.set(t.data.subarray(rows[i] * per, (rows[i] + 1) * per), i * per);
}
