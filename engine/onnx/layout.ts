// Tensor layouts as permutations of the logical (tfjs) axes, batch included. See emitter-types.ts.

export const identityPerm = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

/** NHWC → NCHW (and N,steps,C → N,C,steps): the channel axis moves to position 1. */
export function channelsFirstPerm(rank: number): number[] {
  if (rank < 3) return identityPerm(rank);
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** [batch, time, features] → [time, batch, features], the layout of ONNX RNN/LSTM/GRU. */
export const timeMajorPerm = (): number[] => [1, 0, 2];

export const samePerm = (a: number[], b: number[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/** The Transpose `perm` attribute that turns a tensor stored as `from` into one stored as `to`. */
export function transposeBetween(from: number[], to: number[]): number[] {
  return to.map((logical) => from.indexOf(logical));
}

/** Where logical axis `axis` (negative counts from the end) is stored under `perm`. */
export function storedAxis(perm: number[], axis: number): number {
  const logical = axis < 0 ? perm.length + axis : axis;
  return perm.indexOf(logical);
}
