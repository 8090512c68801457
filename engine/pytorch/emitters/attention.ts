// MultiHeadAttention and PositionalEmbedding as model.py helper modules (helpers-py.ts) computing
// what the tfjs custom layers compute (engine/layers/attention-tfjs.ts).
import type { TensorData } from '../../data/types.ts';
import type { MultiHeadAttentionParams } from '../../layers/multi-head-attention.ts';
import type { PositionalEmbeddingParams } from '../../layers/positional-embedding.ts';
import { registerTorch } from '../registry.ts';
import { kwargs } from '../python.ts';
import { transpose2d } from '../tensors.ts';
import type { TorchNode } from '../emitter-types.ts';
import { weight } from './common.ts';

const PARTS = ['query', 'key', 'value', 'output'] as const;
const features = (n: TorchNode<MultiHeadAttentionParams>, i: number) => {
  const s = n.inputShapes[Math.min(i, n.inputShapes.length - 1)];
  return s[s.length - 1] as number;
};
const reshape = (t: TensorData, shape: number[]): TensorData => ({ data: t.data, shape });

registerTorch<MultiHeadAttentionParams>('MultiHeadAttention', {
  inputLayout: () => 'tf',
  modules: (n) => {
    const p = n.params;
    const args = [
      features(n, 0),
      features(n, 1),
      features(n, 2),
      p.numHeads,
      p.keyDim,
      p.valueDim || p.keyDim,
    ];
    // Only what differs from the helper's defaults, so the line stays short.
    const options = kwargs({
      dropout: p.dropout || undefined,
      causal: p.causal || undefined,
      bias: p.useBias ? undefined : false,
    });
    return [
      { name: n.attr, init: `KerasMultiHeadAttention(${[...args, options].filter(Boolean).join(', ')})` },
    ];
  },
  forward: (n, xs) => ({ expr: `self.${n.attr}(${xs.join(', ')})` }),
  // tfjs keeps Keras's 3-D kernels ([in, heads, depth]; the output's [heads, depth, out]); nn.Linear
  // holds the same numbers as one [out, in] matrix.
  toTorch: (n, w) => {
    const out = new Map<string, TensorData>();
    for (const part of PARTS) {
      const k = weight(w, `${part}_kernel`, n);
      const rows = part === 'output' ? k.shape[0] * k.shape[1] : k.shape[0];
      out.set(`${n.attr}.${part}.weight`, transpose2d(reshape(k, [rows, k.data.length / rows])));
      if (n.params.useBias) {
        const b = weight(w, `${part}_bias`, n);
        out.set(`${n.attr}.${part}.bias`, reshape(b, [b.data.length]));
      }
    }
    return out;
  },
  toTfjs: (n, state) => {
    const p = n.params;
    const h = p.numHeads;
    const depth = { query: p.keyDim, key: p.keyDim, value: p.valueDim || p.keyDim };
    const out = new Map<string, TensorData>();
    PARTS.forEach((part, i) => {
      const m = transpose2d(state(`${n.attr}.${part}.weight`));
      const shape = part === 'output' ? [h, depth.value, features(n, 0)] : [features(n, i), h, depth[part]];
      out.set(`${part}_kernel`, reshape(m, shape));
      if (p.useBias) {
        const bias = state(`${n.attr}.${part}.bias`);
        out.set(`${part}_bias`, reshape(bias, part === 'output' ? [features(n, 0)] : [h, depth[part]]));
      }
    });
    return out;
  },
});

registerTorch<PositionalEmbeddingParams>('PositionalEmbedding', {
  inputLayout: () => 'tf',
  modules: (n) => {
    const d = n.inputShapes[0][1] as number;
    const learned = n.params.mode === 'learned' ? 'True' : 'False';
    return [
      { name: n.attr, init: `PositionalEmbedding(${n.params.sequenceLength}, ${d}, learned=${learned})` },
    ];
  },
  forward: (n, [x]) => ({ expr: `self.${n.attr}(${x})` }),
  toTorch: (n, w) =>
    n.params.mode === 'learned' ? new Map([[`${n.attr}.embeddings`, weight(w, 'embeddings', n)]]) : new Map(),
  toTfjs: (n, state) =>
    n.params.mode === 'learned' ? new Map([['embeddings', state(`${n.attr}.embeddings`)]]) : new Map(),
});
