// MultiHeadAttention (Keras's layer; tfjs 4 has none, so its tfjs layer is a registered custom one,
// attention-tfjs.ts). Named ports: query, key and the optional value (= key when left out).
import { ShapeError, type LayerSpec, type Shape } from './types.ts';
import { fmtShape, knownLastAxis, requireRank } from './common.ts';
import { attentionClasses, type AttentionConfig } from './attention-tfjs.ts';

export type MultiHeadAttentionParams = AttentionConfig;

const sequence = (s: Shape, port: string) =>
  requireRank(s, 2, `MultiHeadAttention's ${port}`, 'a sequence [timesteps, features]', 'feed it a sequence');

/** Sizes of the query, key and value features (value = key when its port is left unconnected). */
function features(inputs: Shape[]): [number, number, number] {
  const ports = ['query', 'key', 'value'];
  inputs.forEach((s, i) => sequence(s, ports[i]));
  const [q, k, v = k] = inputs.map((s, i) =>
    knownLastAxis(s, `MultiHeadAttention's ${ports[i]}`, 'features'),
  );
  return [q, k, v];
}

export const MultiHeadAttentionLayer: LayerSpec<MultiHeadAttentionParams> = {
  type: 'MultiHeadAttention',
  label: 'MultiHeadAttention',
  category: 'Attention',
  help: {
    summary:
      'Scaled dot-product attention in several heads: each query position takes a weighted mix of the value sequence, weighted by how well the query matches each key.',
    equation:
      'headᵢ = softmax(QWᵢᑫ (KWᵢᵏ)ᵀ / √keyDim + M) · VWᵢᵛ;  y = [head₁ ‖ … ‖ headₕ] Wᵒ + b  (M: −∞ above the diagonal when causal, else 0)',
    whenToUse:
      'The core of a Transformer. Self-attention: connect the same sequence to query and key (value defaults to key). ' +
      'Cross-attention: the query from one sequence, key/value from another. Turn on causal for forecasting so a step never looks at later steps. ' +
      'Follow it with Add (a residual) and LayerNormalization.',
  },
  arity: { min: 2, max: 3 },
  ports: [
    { name: 'query', help: 'the sequence that asks: the output has its length and features' },
    { name: 'key', help: 'the sequence matched against the queries' },
    {
      name: 'value',
      help: 'the sequence mixed into the output (the key when left unconnected)',
      optional: true,
    },
  ],
  producesOutput: true,
  examples: [
    {
      inputs: [
        [5, 8],
        [5, 8],
      ],
      params: { numHeads: 2, keyDim: 4 },
    },
    {
      inputs: [
        [4, 6],
        [7, 5],
        [7, 3],
      ],
      params: { numHeads: 3, keyDim: 2, valueDim: 5, useBias: false },
    },
    {
      inputs: [
        [6, 4],
        [6, 4],
      ],
      params: { numHeads: 2, keyDim: 3, causal: true, dropout: 0.1 },
    },
  ],
  params: [
    {
      name: 'numHeads',
      kind: 'int',
      default: 2,
      min: 1,
      max: 256,
      label: 'Heads',
      help: 'Number of attention heads h.',
    },
    {
      name: 'keyDim',
      kind: 'int',
      default: 16,
      min: 1,
      max: 4096,
      label: 'Key dim',
      help: 'Size of each head’s query and key projections.',
    },
    {
      name: 'valueDim',
      kind: 'int',
      default: 0,
      min: 0,
      max: 4096,
      label: 'Value dim',
      help: 'Size of each head’s value projection; 0 = the key dim (Keras’s value_dim None).',
    },
    {
      name: 'dropout',
      kind: 'float',
      default: 0,
      min: 0,
      max: 1,
      exclusiveMax: true,
      label: 'Dropout',
      help: 'Fraction of attention weights dropped while training.',
    },
    {
      name: 'causal',
      kind: 'bool',
      default: false,
      label: 'Causal mask',
      help: 'Query step i sees key steps ≤ i only (for forecasting and generation).',
    },
    {
      name: 'useBias',
      kind: 'bool',
      default: true,
      label: 'Use bias',
      help: 'Add biases to the four projections.',
    },
  ],
  summarize: (p) => `${p.numHeads} heads · ${p.keyDim}${p.causal ? ' · causal' : ''}`,
  inferShape: (inputs, p) => {
    features(inputs);
    const [query, key, value = key] = inputs;
    if (key[0] !== null && value[0] !== null && key[0] !== value[0]) {
      throw new ShapeError(
        `MultiHeadAttention's key ${fmtShape(key)} and value ${fmtShape(value)} need the same number of timesteps; feed them from sequences of one length.`,
      );
    }
    if (p.causal && (query[0] === null) !== (key[0] === null)) {
      throw new ShapeError(
        'A causal MultiHeadAttention needs query and key lengths both fixed or both varying; give the Inputs the same kind of length.',
      );
    }
    return [...query];
  },
  countParams: (inputs, p) => {
    const [q, k, v] = features(inputs);
    const h = p.numHeads;
    const dv = p.valueDim || p.keyDim;
    const kernels = (q + k) * h * p.keyDim + v * h * dv + h * dv * q;
    return kernels + (p.useBias ? 2 * h * p.keyDim + h * dv + q : 0);
  },
  buildTfjs: ({ tf, name, inputIndex }, p) =>
    new (attentionClasses(tf).MultiHeadAttention)({ name, ...p, inputMap: inputIndex }),
};
