// Layers that repeat or reorder axes without computing anything: RepeatVector, Permute.
import { ShapeError, type LayerSpec } from './types.ts';
import { fmtShape, requireRank } from './common.ts';

export type RepeatVectorParams = { n: number };
export type PermuteParams = { dims: number[] };

const plain = { arity: { min: 1, max: 1 }, producesOutput: true, countParams: () => 0 } as const;

export const RepeatVectorLayer: LayerSpec<RepeatVectorParams> = {
  ...plain,
  type: 'RepeatVector',
  label: 'RepeatVector',
  category: 'Reshaping',
  help: {
    summary: 'Repeats a vector n times: [features] → [n, features].',
    equation: 'y[t, f] = x[f] for t = 1…n',
    whenToUse:
      'Encoder–decoder sequence models: feed the encoder’s summary vector to a decoder RNN at every one of n output steps.',
  },
  examples: [
    { inputs: [[5]], params: {} },
    { inputs: [[3]], params: { n: 4 } },
  ],
  params: [
    { name: 'n', kind: 'int', default: 2, min: 1, max: 1 << 16, label: 'Repeats', help: 'How many times.' },
  ],
  summarize: (p) => `×${p.n}`,
  inferShape: ([x], p) => {
    requireRank(x, 1, 'RepeatVector', 'a vector [features]', 'add a Flatten before it');
    return [p.n, x[0]];
  },
  buildTfjs: ({ tf, name }, p) => tf.layers.repeatVector({ name, n: p.n }),
};

export const PermuteLayer: LayerSpec<PermuteParams> = {
  ...plain,
  type: 'Permute',
  label: 'Permute',
  category: 'Reshaping',
  help: {
    summary:
      'Reorders the axes after the batch, e.g. [steps, features] → [features, steps] with dims [2, 1].',
    equation: 'y[i₁, …, iₖ] = x[i_{dims⁻¹(1)}, …]: output axis j is input axis dims[j]',
    whenToUse:
      'Making a sequence layer read the other axis (features as time), or turning channels-first data into channels-last.',
  },
  examples: [
    { inputs: [[3, 4]], params: {} },
    { inputs: [[2, 3, 4]], params: { dims: [3, 1, 2] } },
  ],
  params: [
    {
      name: 'dims',
      kind: 'shape',
      default: [2, 1],
      label: 'Axis order',
      help: 'The input axes in their new order (1 = first axis after the batch), each once.',
    },
  ],
  summarize: (p) => `(${p.dims.join(', ')})`,
  inferShape: ([x], p) => {
    const rank = x.length;
    const sorted = [...p.dims].sort((a, b) => a - b);
    if (sorted.length !== rank || sorted.some((d, i) => d !== i + 1))
      throw new ShapeError(
        `Permute's dims ${fmtShape(p.dims)} must list each axis 1…${rank} of its input ${fmtShape(x)} exactly once; e.g. [${Array.from({ length: rank }, (_, i) => rank - i).join(', ')}] reverses them.`,
      );
    return p.dims.map((d) => x[d - 1]);
  },
  buildTfjs: ({ tf, name }, p) => tf.layers.permute({ name, dims: p.dims }),
};
