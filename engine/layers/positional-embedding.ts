// PositionalEmbedding: adds a position code to every step of a sequence, learned (keras-hub's
// PositionEmbedding, added to the input) or the fixed sinusoids of "Attention is all you need"
// (keras-hub's SinePositionEncoding). Its tfjs layer is a registered custom one (attention-tfjs.ts).
import { ShapeError, type LayerSpec } from './types.ts';
import { fmtShape, knownLastAxis, requireRank } from './common.ts';
import { attentionClasses, type PositionalConfig } from './attention-tfjs.ts';

export type PositionalEmbeddingParams = PositionalConfig;

export const PositionalEmbeddingLayer: LayerSpec<PositionalEmbeddingParams> = {
  type: 'PositionalEmbedding',
  label: 'PositionalEmbedding',
  category: 'Attention',
  help: {
    summary:
      'Adds where each step sits in the sequence to its features, so attention (which ignores order) can tell steps apart.',
    equation:
      'yₜ = xₜ + Pₜ;  learned: P ∈ ℝ^(sequenceLength × features);  sinusoidal: Pₜ,₂ᵢ = sin(t / 10000^(2i/d)), Pₜ,₂ᵢ₊₁ = cos(t / 10000^(2i/d))',
    whenToUse:
      'Right after the input (or an Embedding) of a Transformer. Learned codes fit a fixed window well; sinusoidal ones have no weights. ' +
      'sequenceLength is the longest sequence it accepts.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[6, 4]], params: { sequenceLength: 6 } },
    { inputs: [[5, 3]], params: { sequenceLength: 8 } },
    { inputs: [[7, 6]], params: { sequenceLength: 7, mode: 'sinusoidal' } },
  ],
  params: [
    {
      name: 'sequenceLength',
      kind: 'int',
      default: 32,
      min: 1,
      max: 1 << 16,
      label: 'Sequence length',
      help: 'The longest sequence it takes (rows of the position table).',
    },
    {
      name: 'mode',
      kind: 'enum',
      default: 'learned',
      options: ['learned', 'sinusoidal'],
      label: 'Positions',
      help: 'learned: one trained vector per position; sinusoidal: fixed sin/cos waves, no weights.',
    },
  ],
  summarize: (p) => `${p.mode} · ≤ ${p.sequenceLength}`,
  inferShape: (inputs, p) => {
    const [x] = inputs;
    requireRank(x, 2, 'PositionalEmbedding', 'a sequence [timesteps, features]', 'feed it a sequence');
    knownLastAxis(x, 'PositionalEmbedding', 'features');
    if (x[0] === null) {
      // A length that varies per sample could outgrow the table at run time.
      throw new ShapeError(
        `PositionalEmbedding needs a fixed number of timesteps (its table holds ${p.sequenceLength} positions), but its input is ${fmtShape(x)}; give the Input a fixed sequence length.`,
      );
    }
    if (x[0] > p.sequenceLength) {
      throw new ShapeError(
        `PositionalEmbedding holds ${p.sequenceLength} positions but its input ${fmtShape(x)} has ${x[0]} timesteps; set sequenceLength to at least ${x[0]}.`,
      );
    }
    return [...x];
  },
  countParams: (inputs, p) =>
    p.mode === 'learned' ? p.sequenceLength * knownLastAxis(inputs[0], 'PositionalEmbedding', 'features') : 0,
  buildTfjs: ({ tf, name }, p) => new (attentionClasses(tf).PositionalEmbedding)({ name, ...p }),
};
