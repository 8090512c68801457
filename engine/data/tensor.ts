// Small helpers over TensorData (row-major Float32Array + shape), so the data module needs no tfjs.
import type { TensorData } from './types.ts';

export const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Elements per sample (everything after the batch dimension). */
export const rowSize = (t: TensorData): number => sizeOf(t.shape.slice(1));

export function tensor(data: Float32Array, shape: number[]): TensorData {
  if (data.length !== sizeOf(shape))
    throw new Error(`tensor data has ${data.length} values but shape [${shape}] needs ${sizeOf(shape)}`);
  return { data, shape };
}

/** The samples at `indices`, in that order. */
export function takeRows(t: TensorData, indices: number[]): TensorData {
  const n = rowSize(t);
  const out = new Float32Array(indices.length * n);
  indices.forEach((src, dst) => out.set(t.data.subarray(src * n, src * n + n), dst * n));
  return { data: out, shape: [indices.length, ...t.shape.slice(1)] };
}

export function oneHot(labels: Int32Array, classes: number): TensorData {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (out[i * classes + c] = 1));
  return { data: out, shape: [labels.length, classes] };
}

export const sameShape = (a: number[], b: number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);
