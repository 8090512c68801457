// Turns class labels into the target tensor the model's output expects: one-hot for a softmax output,
// a 0/1 column for a single sigmoid unit, the class index for sparseCategoricalCrossentropy.
import { oneHot } from './tensor.ts';
import { DataError, type LoadContext, type TargetEncoding, type TensorData } from './types.ts';

const CROSSENTROPY = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'];

export const wantsClassification = (ctx: Pick<LoadContext, 'losses'>): boolean =>
  (ctx.losses ?? []).some((l) => CROSSENTROPY.includes(l));

export function classificationTarget(
  labels: Int32Array,
  classNames: string[],
  ctx: Pick<LoadContext, 'outputShapes' | 'losses'>,
  source: string,
): { y: TensorData; targetEncoding: TargetEncoding } {
  const k = classNames.length;
  const width = ctx.outputShapes?.[0]?.[ctx.outputShapes[0].length - 1];
  const loss = ctx.losses?.[0];
  if (loss === 'sparseCategoricalCrossentropy') {
    return { y: { data: Float32Array.from(labels), shape: [labels.length, 1] }, targetEncoding: 'index' };
  }
  if (width === 1) {
    if (k !== 2) {
      throw new DataError(
        `${source} has ${k} classes (${preview(classNames)}) but the model ends in 1 unit; use ${k} units with softmax for ${k} classes.`,
        'invalid',
      );
    }
    return { y: { data: Float32Array.from(labels), shape: [labels.length, 1] }, targetEncoding: 'binary' };
  }
  if (width !== undefined && width !== k) {
    throw new DataError(
      `${source} has ${k} classes (${preview(classNames)}) but the model's output has ${width} units; set the last layer's units to ${k}.`,
      'invalid',
    );
  }
  return { y: oneHot(labels, k), targetEncoding: 'onehot' };
}

const preview = (names: string[]) =>
  names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, …`;
