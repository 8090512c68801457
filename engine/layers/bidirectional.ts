// Bidirectional: one recurrent layer (LSTM, GRU or SimpleRNN, set on the node) run forwards and a
// second copy run backwards over the sequence, their outputs merged. tfjs's own wrapper computes it.
// The wrapped layer is named WRAPPED_RNN, so its weights are `forward_rnn/kernel`,
// `backward_rnn/recurrent_kernel`… under the node (engine/weights/named-weights.ts).
import type * as tfjs from '@tensorflow/tfjs';
import type { LayerSpec } from './types.ts';
import {
  countRecurrent,
  GRULayer,
  inferRecurrent,
  LSTMLayer,
  recurrentParamDefs,
  SimpleRNNLayer,
  type RecurrentParams,
} from './recurrent.ts';

export const WRAPPED_RNN = 'rnn';
export const RECURRENT_KINDS = ['LSTM', 'GRU', 'SimpleRNN'] as const;
export const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;

export type BidirectionalParams = RecurrentParams & {
  layer: (typeof RECURRENT_KINDS)[number];
  mergeMode: (typeof MERGE_MODES)[number];
};

const WRAPPED = { LSTM: LSTMLayer, GRU: GRULayer, SimpleRNN: SimpleRNNLayer };
const GATES = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

export const BidirectionalLayer: LayerSpec<BidirectionalParams> = {
  type: 'Bidirectional',
  label: 'Bidirectional',
  category: 'Recurrent',
  help: {
    summary:
      'Runs a recurrent layer over the sequence forwards and a second one backwards, so every step sees both its past and its future, and merges the two.',
    equation:
      'h→_t = RNN→(x_1 … x_t);  h←_t = RNN←(x_T … x_t);  y_t = [h→_t ; h←_t] (concat), h→_t + h←_t (sum), h→_t ⊙ h←_t (mul) or their mean (ave); ' +
      'without return sequences y = merge(h→_T, h←_1);  weights: 2 × the wrapped layer’s',
    whenToUse:
      'Sequences you read whole before deciding (text classification, tagging, filling gaps), never a forecast that must not see the future. ' +
      'Concat doubles the output features.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[5, 3]], params: { layer: 'LSTM', units: 3 } },
    { inputs: [[4, 2]], params: { layer: 'GRU', units: 3, returnSequences: true, mergeMode: 'sum' } },
    { inputs: [[5, 2]], params: { layer: 'SimpleRNN', units: 2, returnSequences: true, mergeMode: 'mul' } },
    { inputs: [[-1, 3]], params: { layer: 'GRU', units: 2, mergeMode: 'ave', activation: 'relu' } },
  ],
  params: [
    {
      name: 'layer',
      kind: 'enum',
      default: 'LSTM',
      options: RECURRENT_KINDS,
      label: 'Layer',
      help: 'The recurrent layer run in each direction.',
    },
    ...recurrentParamDefs,
    {
      name: 'mergeMode',
      kind: 'enum',
      default: 'concat',
      options: MERGE_MODES,
      label: 'Merge',
      help: 'How the two directions join: concat (2 × units features), sum, mul or ave.',
    },
  ],
  summarize: (p) =>
    `${p.layer} ${p.units}${p.returnSequences ? ' · seq' : ''} · ${p.mergeMode}${p.activation === 'tanh' ? '' : ` · ${p.activation}`}`,
  inferShape: ([x], p) => {
    const y = inferRecurrent('Bidirectional', x, p);
    return p.mergeMode === 'concat' ? [...y.slice(0, -1), 2 * p.units] : y;
  },
  countParams: ([x], p) => 2 * countRecurrent(GATES[p.layer], x, p.units),
  buildTfjs: (ctx, p) =>
    ctx.tf.layers.bidirectional({
      name: ctx.name,
      layer: WRAPPED[p.layer].buildTfjs({ ...ctx, name: WRAPPED_RNN }, p) as tfjs.RNN,
      mergeMode: p.mergeMode,
    }),
};
