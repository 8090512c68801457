// Row-major tensor permutations for weight conversion between tfjs and PyTorch layouts.
import type { TensorData } from '../data/types.ts';

/** out axis i = in axis perm[i]. */
export function permute(t: TensorData, perm: number[]): TensorData {
  const shape = perm.map((p) => t.shape[p]);
  const rank = t.shape.length;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(t.data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i] * strides[i];
    out[o] = t.data[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return { data: out, shape };
}

/** The inverse permutation: permute(permute(t, p), inverse(p)) is t. */
export function inversePerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

export const transpose2d = (t: TensorData): TensorData => permute(t, [1, 0]);

export const zeros = (shape: number[]): TensorData => ({
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
  shape,
});
