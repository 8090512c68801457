// Helpers shared by several layer modules.
import type * as tfjs from '@tensorflow/tfjs';
import { ShapeError, type LayerCategory, type Shape } from './types.ts';

export function regularizerConfig(
  tf: typeof tfjs,
  reg: { l1?: number; l2?: number } | null | undefined,
): ReturnType<typeof tfjs.regularizers.l1l2> | undefined {
  if (!reg || (!reg.l1 && !reg.l2)) return undefined;
  return tf.regularizers.l1l2({ l1: reg.l1 ?? 0, l2: reg.l2 ?? 0 });
}

/** A shape for messages: unknown sizes as '?', e.g. [?, 28, 1]. */
export const fmtShape = (s: Shape): string => `[${s.map((d) => d ?? '?').join(', ')}]`;

/** Require an input of exactly `rank` axes (batch excluded), explaining the fix. */
/** A layer got an input of the wrong rank; inspect adds "or set the Input's shape" when an Input feeds it. */
export class RankError extends ShapeError {
  constructor(
    message: string,
    /** What the layer reads, e.g. "an image [height, width, channels]". */
    readonly expected: string,
  ) {
    super(message);
  }
}

export function requireRank(input: Shape, rank: number, layer: string, expected: string, fix?: string): void {
  if (input.length !== rank) {
    throw new RankError(
      `${layer} expects ${expected} (rank ${rank} without the batch), but its input is ${fmtShape(input)} (rank ${input.length})${fix ? `; ${fix}` : ''}.`,
      expected,
    );
  }
}

/**
 * Length of one spatial axis after a window op (Keras conv_utils.conv_output_length).
 * `null` in → `null` out. Throws when a 'valid' window does not fit.
 */
export function windowOutputLength(
  length: number | null,
  window: number,
  stride: number,
  padding: string,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const span = (window - 1) * dilation + 1;
  const out = padding === 'same' ? length : length - span + 1;
  if (out <= 0) return 0;
  return Math.floor((out + stride - 1) / stride);
}

/** Product of the sizes, or null when one is unknown. */
export function elementCount(shape: Shape): number | null {
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** A concrete Reshape suggestion turning `input` into an image [h, w, c] (for Conv2D and 2D pooling). */
export function imageReshapeHint(input: Shape): string {
  if (input.length === 2 && input.every((d) => d !== null))
    return `add a Reshape to [${input[0]}, ${input[1]}, 1] before it`;
  const n = input.length === 1 ? input[0] : null;
  if (n !== null) {
    const side = Math.round(Math.sqrt(n));
    if (side * side === n) return `add a Reshape to [${side}, ${side}, 1] before it`;
    const side3 = Math.round(Math.sqrt(n / 3));
    if (n % 3 === 0 && side3 * side3 * 3 === n) return `add a Reshape to [${side3}, ${side3}, 3] before it`;
  }
  if (input.length === 4) return 'remove an axis with a Reshape before it';
  return 'add a Reshape to [height, width, channels] before it (or feed it from an image Input)';
}

/**
 * A concrete suggestion turning `input` into a sequence [timesteps, features] (Conv1D, RNNs, 1D
 * pooling); `twoD` names the layer's image counterpart, when it has one, for an image input.
 */
export function sequenceReshapeHint(input: Shape, twoD?: string): string {
  if (input.length === 1 && input[0] !== null) {
    return `add a Reshape to [${input[0]}, 1] before it to read it as ${input[0]} timesteps of 1 feature`;
  }
  if (input.length === 3 && input.every((d) => d !== null)) {
    const reshape = `add a Reshape to [${input[0]}, ${(input[1] as number) * (input[2] as number)}] before it`;
    return twoD ? `${reshape}, or use ${twoD} instead` : reshape;
  }
  return 'add a Reshape to [timesteps, features] before it';
}

/** The size of the last axis, which must be known (channels, features). */
export function knownLastAxis(input: Shape, layer: string, what: string): number {
  const last = input[input.length - 1];
  if (input.length === 0 || last === null || last === undefined) {
    throw new ShapeError(
      `${layer} needs a known number of ${what} on the last axis, but its input is ${fmtShape(input)}; give that axis a fixed size upstream.`,
    );
  }
  return last;
}

/** What every one-input kind made by a factory shares: its type as label, one input, an output. */
export const oneInputKind = (type: string, category: LayerCategory) => ({
  type,
  label: type,
  category,
  arity: { min: 1, max: 1 },
  producesOutput: true,
});
