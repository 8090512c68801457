// Helpers shared by several layer modules.
import type * as tfjs from '@tensorflow/tfjs';
import { ShapeError, type Shape } from './types.ts';

export function regularizerConfig(
  tf: typeof tfjs,
  reg: { l1?: number; l2?: number } | null | undefined,
): ReturnType<typeof tfjs.regularizers.l1l2> | undefined {
  if (!reg || (!reg.l1 && !reg.l2)) return undefined;
  return tf.regularizers.l1l2({ l1: reg.l1 ?? 0, l2: reg.l2 ?? 0 });
}

/** Require an input of exactly `rank` axes (batch excluded), explaining the fix. */
export function requireRank(input: Shape, rank: number, layer: string, expected: string): void {
  if (input.length !== rank) {
    throw new ShapeError(
      `${layer} expects ${expected} (rank ${rank} without the batch), but its input is [${input
        .map((d) => d ?? '?')
        .join(', ')}] (rank ${input.length}).`,
    );
  }
}

export const fmtShape = (s: Shape): string => `[${s.map((d) => d ?? '?').join(', ')}]`;
