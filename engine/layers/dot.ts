// Dot: the dot product of two inputs along one axis each, per sample (Keras' batch_dot), optionally
// of L2-normalised inputs (cosine similarity).
import { ShapeError, type LayerSpec, type Shape } from './types.ts';
import { fmtShape } from './common.ts';
import { tuple } from './params.ts';

export type DotParams = { axes: number | number[]; normalize: boolean };

/** The contracted axis of each input, as indices into the batch-less shapes. */
export const dotAxes = (p: DotParams): [number, number] => {
  const [a, b] = tuple(p.axes, 2);
  return [a - 1, b - 1];
};

/** Dot as an Einsum equation (for the exporters): batch b, shared letter k for the contracted axes; two vectors give [batch, 1]. */
export function dotEquation(ranks: [number, number], [a, b]: [number, number]): string {
  const letters = 'ijmn';
  const first = Array.from({ length: ranks[0] }, (_, i) => (i === a ? 'k' : letters[i]));
  const second = Array.from({ length: ranks[1] }, (_, i) => (i === b ? 'k' : letters[2 + i]));
  const out = [...first, ...second].filter((l) => l !== 'k').join('');
  return `b${first.join('')},b${second.join('')}->b${out}`;
}

function dotShape([x1, x2]: Shape[], p: DotParams): Shape {
  const [a, b] = dotAxes(p);
  const shapes = `${fmtShape(x1)} and ${fmtShape(x2)}`;
  if (x1.length > 2 || x2.length > 2)
    throw new ShapeError(
      `Dot takes vectors or matrices per sample (rank 1 or 2 without the batch), but got ${shapes}; Flatten or Reshape the inputs first.`,
    );
  if (a >= x1.length || b >= x2.length)
    throw new ShapeError(
      `Dot's axes ${tuple(p.axes, 2).join(', ')} do not exist for inputs ${shapes}; each must be 1…rank of its input.`,
    );
  if (x1[a] === null || x2[b] === null || x1[a] !== x2[b])
    throw new ShapeError(
      `Dot multiplies axis ${a + 1} of ${fmtShape(x1)} with axis ${b + 1} of ${fmtShape(x2)}, which must have the same known size; choose other axes or make the sizes agree.`,
    );
  const out = [...x1.filter((_, i) => i !== a), ...x2.filter((_, i) => i !== b)];
  return out.length ? out : [1];
}

export const DotLayer: LayerSpec<DotParams> = {
  type: 'Dot',
  label: 'Dot',
  category: 'Merge',
  help: {
    summary:
      'Per sample, multiplies its two inputs (ports in0, in1) along one axis each and sums: a dot product, or with normalize a cosine similarity.',
    equation:
      'y[…ᵢ, …ⱼ] = Σₖ x₀[…ᵢ, k]·x₁[…ⱼ, k];  normalize: x ← x / ‖x‖₂ along the axis first;  two vectors give [1]',
    whenToUse:
      'Similarity between two embeddings (siamese nets, recommenders: normalize for cosine), or attention-like scores between two sequences (axes 2, 2).',
  },
  arity: { min: 2, max: 2 },
  producesOutput: true,
  examples: [
    { inputs: [[6], [6]], params: {} },
    { inputs: [[6], [6]], params: { normalize: true } },
    {
      inputs: [
        [3, 4],
        [5, 4],
      ],
      params: { axes: 2 },
    },
    {
      inputs: [
        [3, 4],
        [3, 2],
      ],
      params: { axes: [1, 1], normalize: true },
    },
  ],
  params: [
    {
      name: 'axes',
      kind: 'intOrTuple',
      default: 1,
      length: 2,
      label: 'Axes',
      help: 'Axis of each input to multiply along (1 = first after the batch): one number for both, or [axis of in0, axis of in1].',
    },
    {
      name: 'normalize',
      kind: 'bool',
      default: false,
      label: 'Normalize',
      help: 'Divide each input by its L2 norm along the axis first, so the result is the cosine similarity.',
    },
  ],
  summarize: (p) => `axes ${tuple(p.axes, 2).join(', ')}${p.normalize ? ' · cosine' : ''}`,
  inferShape: dotShape,
  countParams: () => 0,
  buildTfjs: ({ tf, name }, p) => {
    const [a, b] = dotAxes(p);
    return tf.layers.dot({ name, axes: [a + 1, b + 1], normalize: p.normalize });
  },
};
