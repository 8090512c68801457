// Reshape: same values, new shape (one size may be -1 and is inferred).
import { ShapeError, type LayerSpec } from './types.ts';
import { elementCount, fmtShape } from './common.ts';

export type ReshapeParams = { targetShape: number[] };

export const ReshapeLayer: LayerSpec<ReshapeParams> = {
  type: 'Reshape',
  label: 'Reshape',
  category: 'Reshaping',
  help: {
    summary:
      'Rearranges the values of each sample into a new shape with the same number of elements. No weights.',
    equation: 'y = reshape(x, targetShape),  Π targetShape = Π inputShape (a -1 takes whatever is left)',
    whenToUse:
      'To turn flat pixels [784] into an image [28, 28, 1] for Conv2D, or a vector into a sequence [steps, features] for an RNN. ' +
      'Use -1 once to let Netwright work out one size.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[12]], params: { targetShape: [3, 4] } },
    { inputs: [[12]], params: { targetShape: [-1, 2] } },
    { inputs: [[2, 3, 2]], params: { targetShape: [-1] } },
    { inputs: [[784]], params: { targetShape: [28, 28, 1] } },
  ],
  params: [
    {
      name: 'targetShape',
      kind: 'shape',
      default: [-1],
      allowInfer: true,
      label: 'Target shape',
      help: 'The new shape without the batch, e.g. [28, 28, 1]; one size may be -1.',
    },
  ],
  summarize: (p) => `→ [${p.targetShape.join(', ')}]`,
  inferShape: ([x], p) => {
    const n = elementCount(x);
    if (n === null) {
      throw new ShapeError(
        `Reshape needs every size of its input known, but its input is ${fmtShape(x)}; give the Input a fixed length.`,
      );
    }
    const known = p.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const target = [...p.targetShape];
    const free = target.indexOf(-1);
    if (free >= 0) {
      if (n % known !== 0) {
        throw new ShapeError(
          `Reshape cannot fill [${p.targetShape.join(', ')}]: its input ${fmtShape(x)} has ${n} values, which is not a multiple of ${known}; ` +
            'change the target sizes so they divide the input size.',
        );
      }
      target[free] = n / known;
    } else if (known !== n) {
      throw new ShapeError(
        `Reshape to [${p.targetShape.join(', ')}] needs ${known} values but its input ${fmtShape(x)} has ${n}; ` +
          'pick a target shape with the same number of values, or put -1 in one place.',
      );
    }
    return target;
  },
  countParams: () => 0,
  // Pass the resolved shape: tfjs would leave a -1 unknown, which later layers (Flatten, Dense) refuse.
  buildTfjs: ({ tf, name, inputShapes }, p) =>
    tf.layers.reshape({ name, targetShape: ReshapeLayer.inferShape(inputShapes, p) as number[] }),
};
