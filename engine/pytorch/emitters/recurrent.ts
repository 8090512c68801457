// SimpleRNN, LSTM, GRU and Bidirectional. A tanh LSTM and a tanh/relu SimpleRNN are PyTorch's own
// nn.LSTM/nn.RNN (fused, cuDNN on a GPU): tfjs's LSTM gates i, f, c, o are PyTorch's i, f, g, o, and
// tfjs's single bias is bias_ih with bias_hh held at zero. Other activations, and every GRU (tfjs
// computes Keras's reset_after = false, which nn.GRU does not), are model.py's own
// TfSimpleRNN/TfLSTM/TfGRU classes. A Bidirectional is nn.LSTM/nn.RNN with bidirectional=True, or two
// of the own classes, the second run over the reversed sequence. Weights are stored (out, in), as
// PyTorch stores them.
import type { TensorData } from '../../data/types.ts';
import { WRAPPED_RNN, type BidirectionalParams } from '../../layers/bidirectional.ts';
import type { Params } from '../../layers/types.ts';
import type { TorchModule, TorchNode } from '../emitter-types.ts';
import { registerTorch } from '../registry.ts';
import { activationCallable, py } from '../python.ts';
import { transpose2d, zeros } from '../tensors.ts';
import { activationProblem, weight } from './common.ts';

/** nn.LSTM / nn.RNN (with its nonlinearity) when PyTorch's own layer computes this node, else null. */
function builtin(type: string, activation: string): { cls: string; extra: string } | null {
  if (type === 'LSTM' && activation === 'tanh') return { cls: 'nn.LSTM', extra: '' };
  if (type === 'SimpleRNN' && activation === 'tanh') return { cls: 'nn.RNN', extra: '' };
  if (type === 'SimpleRNN' && activation === 'relu') return { cls: 'nn.RNN', extra: ', nonlinearity="relu"' };
  return null;
}

const OWN_CLASS: Record<string, string> = { SimpleRNN: 'TfSimpleRNN', LSTM: 'TfLSTM', GRU: 'TfGRU' };

const activationOf = (n: TorchNode) => String(n.params.activation ?? 'tanh');

/** The recurrent kind a node runs: its own type, or the layer a Bidirectional wraps. */
const kindOf = (n: TorchNode) => (n.type === 'Bidirectional' ? String(n.params.layer) : n.type);

/** `self.<name> = nn.LSTM(…)` or the own class, one direction or both. */
function rnnModule(n: TorchNode, name: string, bidirectional: boolean): TorchModule {
  const features = n.inputShapes[0][1];
  const b = builtin(kindOf(n), activationOf(n));
  if (!b) {
    const act = activationOf(n) === 'tanh' ? '' : `, activation=${activationCallable(activationOf(n))}`;
    return { name, init: `${OWN_CLASS[kindOf(n)]}(${features}, ${n.params.units}${act})` };
  }
  const both = bidirectional ? ', bidirectional=True' : '';
  return {
    name,
    init: `${b.cls}(${features}, ${n.params.units}${b.extra}, batch_first=True${both})`,
    setup: [
      '# tfjs has one bias (bias_ih); the second stays zero.',
      `self.${name}.bias_hh_l0.requires_grad_(False)`,
      ...(bidirectional ? [`self.${name}.bias_hh_l0_reverse.requires_grad_(False)`] : []),
    ],
  };
}

/** state_dict entries of one direction: `tf` reads a tfjs weight by short name. */
function toTorchDirection(n: TorchNode, tf: (short: string) => TensorData, key: (w: string) => string) {
  const bias = tf('bias');
  if (builtin(kindOf(n), activationOf(n)))
    return [
      [key('weight_ih_l0'), transpose2d(tf('kernel'))],
      [key('weight_hh_l0'), transpose2d(tf('recurrent_kernel'))],
      [key('bias_ih_l0'), bias],
      [key('bias_hh_l0'), zeros(bias.shape)],
    ] as [string, TensorData][];
  return [
    [key('weight_ih'), transpose2d(tf('kernel'))],
    [key('weight_hh'), transpose2d(tf('recurrent_kernel'))],
    [key('bias'), bias],
  ] as [string, TensorData][];
}

/** tfjs weights (short names after `prefix`) of one direction from the state_dict. */
function toTfjsDirection(
  n: TorchNode,
  state: (key: string) => TensorData,
  key: (w: string) => string,
  prefix: string,
): [string, TensorData][] {
  if (builtin(kindOf(n), activationOf(n))) {
    const ih = state(key('bias_ih_l0'));
    const hh = state(key('bias_hh_l0'));
    return [
      [`${prefix}kernel`, transpose2d(state(key('weight_ih_l0')))],
      [`${prefix}recurrent_kernel`, transpose2d(state(key('weight_hh_l0')))],
      [`${prefix}bias`, { data: ih.data.map((v, i) => v + hh.data[i]), shape: ih.shape }],
    ];
  }
  return [
    [`${prefix}kernel`, transpose2d(state(key('weight_ih')))],
    [`${prefix}recurrent_kernel`, transpose2d(state(key('weight_hh')))],
    [`${prefix}bias`, state(key('bias'))],
  ];
}

for (const type of ['SimpleRNN', 'LSTM', 'GRU'])
  registerTorch(type, {
    check: activationProblem,
    inputLayout: () => 'tf',
    modules: (n) => [rnnModule(n, n.attr, false)],
    forward: (n, [x]) => {
      const call = builtin(type, activationOf(n)) ? `self.${n.attr}(${x})[0]` : `self.${n.attr}(${x})`;
      return { expr: n.params.returnSequences ? call : `${call}[:, -1]` };
    },
    toTorch: (n, w) =>
      new Map(
        toTorchDirection(
          n,
          (s) => weight(w, s, n),
          (k) => `${n.attr}.${k}`,
        ),
      ),
    toTfjs: (n, state) => new Map(toTfjsDirection(n, state, (k) => `${n.attr}.${k}`, '')),
  });

const DIRECTIONS = ['forward', 'backward'] as const;
type Direction = (typeof DIRECTIONS)[number];
const tfjsPrefix = (d: Direction) => `${d}_${WRAPPED_RNN}/`;

/** A direction's state_dict key: nn.LSTM/nn.RNN's `_reverse` weights, or the direction's own module. */
const stateKey = (n: TorchNode<BidirectionalParams & Params>, d: Direction) => (k: string) =>
  builtin(n.params.layer, n.params.activation)
    ? `${n.attr}.${k}${d === 'backward' ? '_reverse' : ''}`
    : `${n.attr}_${d}.${k}`;

registerTorch<BidirectionalParams & Params>('Bidirectional', {
  check: activationProblem,
  inputLayout: () => 'tf',
  modules: (n) =>
    builtin(n.params.layer, n.params.activation)
      ? [rnnModule(n, n.attr, true)]
      : DIRECTIONS.map((d) => rnnModule(n, `${n.attr}_${d}`, false)),
  forward: (n, [x]) => {
    const mode = py(n.params.mergeMode);
    const seq = n.params.returnSequences;
    if (builtin(n.params.layer, n.params.activation)) {
      // Output [batch, time, 2·units] (the backward half already in input order); h_n [2, batch, units].
      if (seq) return { expr: `merge_directions(*self.${n.attr}(${x})[0].chunk(2, dim=-1), ${mode})` };
      const last = n.params.layer === 'LSTM' ? `self.${n.attr}(${x})[1][0]` : `self.${n.attr}(${x})[1]`;
      return { expr: `merge_directions(*${last}, ${mode})` };
    }
    const forward = `self.${n.attr}_forward(${x})`;
    const backward = `self.${n.attr}_backward(${x}.flip(1))`;
    return {
      expr: seq
        ? `merge_directions(${forward}, ${backward}.flip(1), ${mode})`
        : `merge_directions(${forward}[:, -1], ${backward}[:, -1], ${mode})`,
    };
  },
  toTorch: (n, w) =>
    new Map(
      DIRECTIONS.flatMap((d) => toTorchDirection(n, (s) => weight(w, tfjsPrefix(d) + s, n), stateKey(n, d))),
    ),
  toTfjs: (n, state) =>
    new Map(DIRECTIONS.flatMap((d) => toTfjsDirection(n, state, stateKey(n, d), tfjsPrefix(d)))),
});
