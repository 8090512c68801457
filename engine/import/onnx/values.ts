// What an ONNX tensor name stands for while a model is imported. A `tensor` is the output of a
// Netwright node, stored in ONNX in some axis order: `perm[i]` is the Netwright (NHWC, batch-major)
// axis at ONNX axis i, the convention of the exporter (engine/onnx/layout.ts). Transposes only change
// `perm`; ops that read axes (Conv, Flatten, Softmax…) check or use it.
import type { Shape } from '../../layers/types.ts';
import type { ConstTensor } from './onnx-model.ts';

export interface TensorValue {
  kind: 'tensor';
  node: string;
  /** Netwright shape without the batch. */
  shape: Shape;
  perm: number[];
  /**
   * A flat vector whose ONNX element j is Netwright element order[j] (a channels-first Flatten);
   * the Dense that reads it reorders its kernel rows.
   */
  order?: Int32Array;
  /** ONNX keeps this many trailing size-1 axes Netwright does not have (GlobalAveragePool's [N, C, 1, 1]). */
  unitAxes?: number;
}

/** The outputs of an ONNX LSTM/GRU/RNN node: Y (every step) or Y_h (the last state). */
export interface RecurrentValue {
  kind: 'recurrent';
  node: string;
  part: 'sequence' | 'last';
  /** Of a bidirectional op (a Bidirectional node): one direction taken out by a Gather (0 forward). */
  direction?: 0 | 1;
}

export type Value =
  | TensorValue
  | RecurrentValue
  | ({ kind: 'const' } & ConstTensor)
  /** Computed from the runtime shape of a tensor (torch's Shape → Gather → Concat chains). */
  | { kind: 'shape' }
  /**
   * ConstantOfShape(0): an all-zero initial state; Expand of a zero constant: a block of zeros with
   * the constant's `dims` (broadcast), which a Concat may add around a tensor (zero padding).
   */
  | { kind: 'zeros'; dims?: number[] }
  /** Part of a tensor no Netwright layer keeps: its shape may be taken, as data it is refused (`why`). */
  | { kind: 'partial'; why: string };

export const identityPerm = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);
export const isIdentity = (perm: number[]): boolean => perm.every((v, i) => v === i);
export const samePerm = (a: number[], b: number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** NHWC → NCHW: the channel axis moves to position 1 (as engine/onnx/layout.ts). */
export function channelsFirstPerm(rank: number): number[] {
  if (rank < 3) return identityPerm(rank);
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}
export const timeMajorPerm = (): number[] => [1, 0, 2];

/** The rank ONNX sees, batch included. */
export const storedRank = (v: TensorValue): number => v.perm.length + (v.unitAxes ?? 0);

/** ONNX axis (negative counts from the end) → Netwright axis (batch = 0); null for a unit axis. */
export function logicalAxis(v: TensorValue, axis: number): number | null {
  const stored = axis < 0 ? storedRank(v) + axis : axis;
  return stored < v.perm.length ? v.perm[stored] : null;
}

/**
 * For a channels-first (or otherwise permuted) tensor flattened by ONNX: ONNX element j of the flat
 * vector is Netwright element order[j] of the same sample flattened in Netwright's order.
 */
export function flattenOrder(shape: number[], perm: number[]): Int32Array {
  const axes = perm.slice(1).map((p) => p - 1);
  const storedDims = axes.map((a) => shape[a]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const total = shape.reduce((a, b) => a * b, 1);
  const order = new Int32Array(total);
  const index = new Array<number>(axes.length).fill(0);
  for (let j = 0; j < total; j++) {
    let logical = 0;
    axes.forEach((a, k) => (logical += index[k] * strides[a]));
    order[j] = logical;
    for (let k = axes.length - 1; k >= 0; k--) {
      if (++index[k] < storedDims[k]) break;
      index[k] = 0;
    }
  }
  return order;
}
