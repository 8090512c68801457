// Merge layers: combine 2+ inputs, ordered by their edges' ports in0, in1, … (engine/layers/ports.ts).
import { ShapeError, type LayerSpec, type Shape } from './types.ts';
import { fmtShape } from './common.ts';
import { withCustomTfjs } from './custom-tfjs.ts';

export type ElementwiseParams = Record<string, never>;
export type ConcatenateParams = { axis: number };

const list = (shapes: Shape[]) => shapes.map(fmtShape).join(', ');

/** Element-wise merges need identical shapes (an unknown size matches anything). */
function sameShapes(layer: string, shapes: Shape[]): Shape {
  const first = shapes[0];
  const out = [...first];
  for (const s of shapes.slice(1)) {
    const mismatch =
      s.length !== first.length || s.some((d, i) => d !== null && out[i] !== null && d !== out[i]);
    if (mismatch) {
      throw new ShapeError(
        `${layer} needs inputs of identical shape, but got ${list(shapes)}; ` +
          'make the branches end in the same shape (e.g. same Dense units or Conv filters), or use Concatenate to join different sizes.',
      );
    }
    s.forEach((d, i) => {
      if (out[i] === null) out[i] = d;
    });
  }
  return out;
}

/** An example of `n` inputs of one shape. */
const alike = (shape: number[], n: number) => ({
  inputs: Array.from({ length: n }, () => shape),
  params: {},
});

const elementwise = (
  type: string,
  summary: string,
  equation: string,
  whenToUse: string,
): LayerSpec<ElementwiseParams> => ({
  type,
  label: type,
  category: 'Merge',
  help: { summary, equation, whenToUse },
  arity: { min: 2, max: Infinity },
  producesOutput: true,
  params: [],
  inferShape: (inputs) => sameShapes(type, inputs),
  countParams: () => 0,
  buildTfjs: () => null,
});

export const AddLayer: LayerSpec<ElementwiseParams> = {
  ...elementwise(
    'Add',
    'Adds its inputs element by element.',
    'y = x₁ + x₂ + … + xₙ',
    'Residual (skip) connections: add a block’s input to its output so deep nets train well. Shapes must match exactly.',
  ),
  examples: [
    {
      inputs: [
        [4, 3],
        [4, 3],
      ],
      params: {},
    },
    { inputs: [[5], [5], [5]], params: {} },
  ],
  buildTfjs: ({ tf, name }) => tf.layers.add({ name }),
};

export const MultiplyLayer: LayerSpec<ElementwiseParams> = {
  ...elementwise(
    'Multiply',
    'Multiplies its inputs element by element.',
    'y = x₁ ⊙ x₂ ⊙ … ⊙ xₙ',
    'Gating and attention-like weighting: one branch (often sigmoid) scales another.',
  ),
  examples: [
    {
      inputs: [
        [2, 3, 4],
        [2, 3, 4],
      ],
      params: {},
    },
  ],
  buildTfjs: ({ tf, name }) => tf.layers.multiply({ name }),
};

export const AverageLayer: LayerSpec<ElementwiseParams> = {
  ...elementwise(
    'Average',
    'Averages its inputs element by element.',
    'y = (x₁ + x₂ + … + xₙ) / n',
    'Ensembling several branches or heads that predict the same thing.',
  ),
  examples: [{ inputs: [[6], [6], [6]], params: {} }],
  buildTfjs: ({ tf, name }) => tf.layers.average({ name }),
};

export const MaximumLayer: LayerSpec<ElementwiseParams> = {
  ...elementwise(
    'Maximum',
    'Keeps the largest of its inputs, element by element.',
    'y = max(x₁, x₂, …, xₙ)',
    'Maxout-style units, or keeping the stronger of two branches’ responses.',
  ),
  examples: [alike([4, 3], 3)],
  buildTfjs: ({ tf, name }) => tf.layers.maximum({ name }),
};

export const MinimumLayer: LayerSpec<ElementwiseParams> = {
  ...elementwise(
    'Minimum',
    'Keeps the smallest of its inputs, element by element.',
    'y = min(x₁, x₂, …, xₙ)',
    'Capping one branch by another, e.g. a pessimistic estimate from two heads.',
  ),
  examples: [alike([6], 2)],
  buildTfjs: ({ tf, name }) => tf.layers.minimum({ name }),
};

// tfjs has no Subtract layer: a registered class of its own (engine/layers/custom-tfjs.ts).
export const SubtractLayer = withCustomTfjs<ElementwiseParams>(
  {
    ...elementwise(
      'Subtract',
      'Subtracts its second input (port in1) from its first (port in0), element by element.',
      'y = x₀ − x₁',
      'Differences between two branches: a residual to a baseline, or the difference of two embeddings in a siamese net.',
    ),
    arity: { min: 2, max: 2 },
    examples: [alike([5], 2), alike([2, 3, 2], 2)],
  },
  (tf, [a, b]) => tf.sub(a, b),
);

/** Resolve a Keras-style axis (0 = batch, negative from the end) to an index into the batch-less shape. */
function concatAxis(axis: number, rank: number): number | null {
  const full = axis < 0 ? axis + rank + 1 : axis;
  return full >= 1 && full <= rank ? full - 1 : null;
}

export const ConcatenateLayer: LayerSpec<ConcatenateParams> = {
  type: 'Concatenate',
  label: 'Concatenate',
  category: 'Merge',
  help: {
    summary: 'Joins its inputs end to end along one axis (in port order); all other sizes must match.',
    equation: 'y = [x₁ ‖ x₂ ‖ … ‖ xₙ] along axis;  size(axis) = Σ sizeᵢ(axis)',
    whenToUse:
      'Inception-style blocks (join the channels of parallel convolutions), U-Net skips, or combining features from two inputs. ' +
      'axis −1 (the default) joins the last axis; axes count the batch as 0, as in Keras.',
  },
  arity: { min: 2, max: Infinity },
  producesOutput: true,
  examples: [
    {
      inputs: [
        [4, 3],
        [4, 5],
      ],
      params: {},
    },
    {
      inputs: [
        [2, 3],
        [4, 3],
      ],
      params: { axis: 1 },
    },
    {
      inputs: [
        [2, 3],
        [2, 3],
      ],
      params: { axis: 2 },
    },
    {
      inputs: [
        [2, 3, 4],
        [2, 5, 4],
        [2, 1, 4],
      ],
      params: { axis: -2 },
    },
    {
      inputs: [
        [3, 2, 4],
        [1, 2, 4],
      ],
      params: { axis: 1 },
    },
  ],
  params: [
    {
      name: 'axis',
      kind: 'int',
      default: -1,
      min: -16,
      max: 16,
      label: 'Axis',
      help: 'Axis to join along: −1 = last; 1 = first axis after the batch (0, the batch, is not allowed).',
    },
  ],
  summarize: (p) => `axis ${p.axis}`,
  checkParams: (p) =>
    p.axis === 0
      ? ['"axis" cannot be 0 (the batch axis); use -1 for the last axis or 1 for the first after the batch.']
      : [],
  inferShape: (inputs, p) => {
    const rank = inputs[0].length;
    if (inputs.some((s) => s.length !== rank)) {
      throw new ShapeError(
        `Concatenate needs inputs of the same rank, but got ${list(inputs)}; Reshape or Flatten the branches first.`,
      );
    }
    const ax = concatAxis(p.axis, rank);
    if (ax === null) {
      throw new ShapeError(
        `Concatenate's axis ${p.axis} does not exist for inputs of rank ${rank} (valid: 1…${rank} or −${rank}…−1); pick one of those.`,
      );
    }
    const out = [...inputs[0]];
    for (const s of inputs.slice(1)) {
      s.forEach((d, i) => {
        if (i === ax) return;
        // tfjs compares these sizes exactly: an unknown size does not match a known one.
        if (d !== out[i]) {
          const unknown = d === null || out[i] === null;
          throw new ShapeError(
            `Concatenate along axis ${p.axis} needs every other size to match, but got ${list(inputs)} (axis ${i + 1} ${unknown ? 'is unknown in one branch and fixed in another' : 'differs'}); ` +
              (unknown
                ? 'give the Inputs the same fixed size on that axis or choose another axis.'
                : 'make the branches agree on those sizes (e.g. padding "same" on the convolutions) or choose another axis.'),
          );
        }
      });
    }
    out[ax] = inputs.some((s) => s[ax] === null)
      ? null
      : inputs.reduce((sum, s) => sum + (s[ax] as number), 0);
    return out;
  },
  countParams: () => 0,
  // tfjs mis-handles some negative axes at run time (e.g. −2 on rank-4 tensors), so pass the positive one.
  buildTfjs: ({ tf, name, inputShapes }, p) =>
    tf.layers.concatenate({ name, axis: (concatAxis(p.axis, inputShapes[0].length) ?? 0) + 1 }),
};
