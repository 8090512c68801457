// Which scalar of the model's output an attribution explains: a class's probability (a chosen class,
// or each sample's predicted one) or one regression/forecast output.
import type * as tfjs from '@tensorflow/tfjs';
import type { Preprocessing } from '../data/types.ts';
import { invalid } from './invalid.ts';
import type { AttributionTarget } from './types.ts';

/** Names of the explainable output columns: class names, or target names (t+1… for a horizon). */
export function outputNames(prep: Preprocessing, columns: number): string[] {
  if (prep.task === 'classification') {
    const names = prep.classNames ?? [];
    const count = columns === 1 ? 2 : columns;
    return Array.from({ length: count }, (_, c) => names[c] ?? String(c));
  }
  const names = prep.targetNames ?? [];
  return Array.from({ length: columns }, (_, c) => names[c] ?? (columns === 1 ? 'value' : `t+${c + 1}`));
}

/** The target the user named (class name or index), or null for "the predicted class". */
export function chooseTarget(
  prep: Preprocessing,
  columns: number,
  wanted: string | undefined,
): AttributionTarget | null {
  const names = outputNames(prep, columns);
  if (wanted === undefined) return prep.task === 'classification' ? null : { name: names[0], index: 0 };
  const byName = names.indexOf(wanted);
  const index = byName >= 0 ? byName : /^\d+$/.test(wanted) ? Number(wanted) : -1;
  if (index < 0 || index >= names.length)
    throw invalid(
      `--class must be one of ${names.map((n) => `"${n}"`).join(', ')} (or its index); it is "${wanted}".`,
    );
  return { name: names[index], index };
}

/**
 * The explained scalar per sample from the model's output [N, columns]: the probability of class
 * `index` (a single sigmoid unit gives p for class 1 and 1 − p for class 0) or output column `index`.
 */
export function scoreOf(
  tf: typeof tfjs,
  output: tfjs.Tensor,
  prep: Preprocessing,
  index: number,
): tfjs.Tensor1D {
  const flat = output.reshape([output.shape[0], -1]);
  const columns = flat.shape[1] ?? 1;
  if (prep.task === 'classification' && columns === 1) {
    const p = flat.reshape([-1]) as tfjs.Tensor1D;
    return index === 1 ? p : (tf.sub(1, p) as tfjs.Tensor1D);
  }
  return tf.gather(flat, index, 1).reshape([-1]) as tfjs.Tensor1D;
}

/**
 * Output column `index` in target units is model output × scale + offset (attributions are
 * differences, so they take the scale only). Relative windows predict a change from the window's
 * last value, which stays out of these numbers.
 */
export function targetUnits(prep: Preprocessing, index: number): { scale: number; offset: number } {
  if (prep.task === 'classification' || !prep.target) return { scale: 1, offset: 0 };
  const k = index % prep.target.scale.length;
  return { scale: prep.target.scale[k], offset: prep.target.offset[k] };
}
