// Recurrent layers over sequences [timesteps, features]. Parameter counts follow tfjs, whose GRU
// implements only reset_after = false (Keras 2's default, reset_after = true, has 3·units more biases).
import { ACTIVATIONS, type LayerSpec, type ParamDef, type Shape } from './types.ts';
import { knownLastAxis, requireRank, sequenceReshapeHint } from './common.ts';

export type RecurrentParams = { units: number; returnSequences: boolean; activation: string };

export const recurrentParamDefs: ParamDef[] = [
  {
    name: 'units',
    kind: 'int',
    default: 32,
    min: 1,
    max: 1 << 16,
    label: 'Units',
    help: 'Size of the hidden state h.',
  },
  {
    name: 'returnSequences',
    kind: 'bool',
    default: false,
    label: 'Return sequences',
    help: 'On: output h at every step [timesteps, units] (to stack another RNN). Off: only the last h [units].',
  },
  {
    name: 'activation',
    kind: 'enum',
    default: 'tanh',
    options: ACTIVATIONS,
    label: 'Activation',
    help: 'f for the candidate/hidden state (tanh is standard).',
  },
];

export function inferRecurrent(layer: string, x: Shape, p: RecurrentParams): Shape {
  requireRank(x, 2, layer, 'a sequence [timesteps, features]', sequenceReshapeHint(x));
  knownLastAxis(x, layer, 'features');
  return p.returnSequences ? [x[0], p.units] : [p.units];
}

/** gates × (input kernel + recurrent kernel + bias). */
export const countRecurrent = (gates: number, x: Shape, units: number) =>
  gates * (units * ((x[1] ?? 0) + units) + units);

const summarizeRecurrent = (p: RecurrentParams) =>
  `${p.units}${p.returnSequences ? ' · seq' : ''} · ${p.activation}`;

export const SimpleRNNLayer: LayerSpec<RecurrentParams> = {
  type: 'SimpleRNN',
  label: 'SimpleRNN',
  category: 'Recurrent',
  help: {
    summary:
      'Reads a sequence step by step, updating a hidden state from the previous state and the current input.',
    equation: 'h_t = f(W_hh·h_{t−1} + W_xh·x_t + b_h);  weights: units·(features + units) + units',
    whenToUse:
      'Short sequences and teaching; it forgets over long ranges (vanishing gradients), where LSTM or GRU do better.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[6, 3]], params: { units: 4 } },
    { inputs: [[6, 3]], params: { units: 5, returnSequences: true, activation: 'relu' } },
  ],
  params: recurrentParamDefs,
  summarize: summarizeRecurrent,
  inferShape: ([x], p) => inferRecurrent('SimpleRNN', x, p),
  countParams: ([x], p) => countRecurrent(1, x, p.units),
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.simpleRNN({
      name,
      units: p.units,
      returnSequences: p.returnSequences,
      activation: p.activation as never,
    }),
};

export const LSTMLayer: LayerSpec<RecurrentParams> = {
  type: 'LSTM',
  label: 'LSTM',
  category: 'Recurrent',
  help: {
    summary:
      'A recurrent layer with a memory cell and gates that learn what to keep, forget and output, so it remembers over long ranges.',
    equation:
      'i_t = σ(W_i·x_t + U_i·h_{t−1} + b_i);  f_t = σ(W_f·x_t + U_f·h_{t−1} + b_f);  o_t = σ(W_o·x_t + U_o·h_{t−1} + b_o);  ' +
      'c̃_t = f(W_c·x_t + U_c·h_{t−1} + b_c);  c_t = f_t ⊙ c_{t−1} + i_t ⊙ c̃_t;  h_t = o_t ⊙ f(c_t);  weights: 4·(units·(features + units) + units)',
    whenToUse:
      'Time series forecasting, text and any sequence where long-range context matters. Stack two with returnSequences on the first. ' +
      'Scale inputs (e.g. to [0, 1]) for stable training.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[6, 3]], params: { units: 4 } },
    { inputs: [[6, 3]], params: { units: 3, returnSequences: true } },
    { inputs: [[-1, 2]], params: { units: 2, returnSequences: true } },
  ],
  params: recurrentParamDefs,
  summarize: summarizeRecurrent,
  inferShape: ([x], p) => inferRecurrent('LSTM', x, p),
  countParams: ([x], p) => countRecurrent(4, x, p.units),
  // recurrentActivation is pinned to sigmoid (tfjs defaults to hardSigmoid) so the model matches the equations above.
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.lstm({
      name,
      units: p.units,
      returnSequences: p.returnSequences,
      activation: p.activation as never,
      recurrentActivation: 'sigmoid',
    }),
};

export const GRULayer: LayerSpec<RecurrentParams> = {
  type: 'GRU',
  label: 'GRU',
  category: 'Recurrent',
  help: {
    summary:
      'A gated recurrent layer like the LSTM but with two gates and no separate cell: fewer weights, often as good.',
    equation:
      'z_t = σ(W_z·x_t + U_z·h_{t−1} + b_z);  r_t = σ(W_r·x_t + U_r·h_{t−1} + b_r);  h̃_t = f(W_h·x_t + U_h·(r_t ⊙ h_{t−1}) + b_h);  ' +
      'h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t;  weights: 3·(units·(features + units) + units) (tfjs: reset gate before the recurrent product, reset_after = false)',
    whenToUse: 'Like LSTM for sequences and time series, when you want a smaller, faster model.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[6, 3]], params: { units: 4 } },
    { inputs: [[5, 2]], params: { units: 6, returnSequences: true, activation: 'sigmoid' } },
  ],
  params: recurrentParamDefs,
  summarize: summarizeRecurrent,
  inferShape: ([x], p) => inferRecurrent('GRU', x, p),
  countParams: ([x], p) => countRecurrent(3, x, p.units),
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.gru({
      name,
      units: p.units,
      returnSequences: p.returnSequences,
      activation: p.activation as never,
      recurrentActivation: 'sigmoid',
    }),
};
