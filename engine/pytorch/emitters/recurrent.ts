// SimpleRNN, LSTM and GRU. A tanh LSTM and a tanh/relu SimpleRNN are PyTorch's own nn.LSTM/nn.RNN
// (fused, cuDNN on a GPU): tfjs's LSTM gates i, f, c, o are PyTorch's i, f, g, o, and tfjs's single
// bias is bias_ih with bias_hh held at zero. Other activations, and every GRU (tfjs computes Keras's
// reset_after = false, which nn.GRU does not), are model.py's own TfSimpleRNN/TfLSTM/TfGRU classes.
// Weights are stored (out, in), as PyTorch stores them.
import type { TensorData } from '../../data/types.ts';
import type { TorchNode } from '../emitter-types.ts';
import { registerTorch } from '../registry.ts';
import { activationCallable } from '../python.ts';
import { transpose2d, zeros } from '../tensors.ts';
import { activationProblem, weight } from './common.ts';

/** nn.LSTM / nn.RNN (with its nonlinearity) when PyTorch's own layer computes this node, else null. */
function builtin(type: string, activation: string): { cls: string; extra: string } | null {
  if (type === 'LSTM' && activation === 'tanh') return { cls: 'nn.LSTM', extra: '' };
  if (type === 'SimpleRNN' && activation === 'tanh') return { cls: 'nn.RNN', extra: '' };
  if (type === 'SimpleRNN' && activation === 'relu') return { cls: 'nn.RNN', extra: ', nonlinearity="relu"' };
  return null;
}

const activationOf = (n: TorchNode) => String(n.params.activation ?? 'tanh');

const recurrent = (type: string, pyClass: string) =>
  registerTorch(type, {
    check: activationProblem,
    inputLayout: () => 'tf',
    modules: (n) => {
      const features = n.inputShapes[0][1];
      const b = builtin(type, activationOf(n));
      if (b) {
        return [
          {
            name: n.attr,
            init: `${b.cls}(${features}, ${n.params.units}${b.extra}, batch_first=True)`,
            setup: [
              '# tfjs has one bias (bias_ih); the second stays zero.',
              `self.${n.attr}.bias_hh_l0.requires_grad_(False)`,
            ],
          },
        ];
      }
      const act = activationOf(n) === 'tanh' ? '' : `, activation=${activationCallable(activationOf(n))}`;
      return [{ name: n.attr, init: `${pyClass}(${features}, ${n.params.units}${act})` }];
    },
    forward: (n, [x]) => {
      const call = builtin(type, activationOf(n)) ? `self.${n.attr}(${x})[0]` : `self.${n.attr}(${x})`;
      return { expr: n.params.returnSequences ? call : `${call}[:, -1]` };
    },
    toTorch: (n, w) => {
      const bias = weight(w, 'bias', n);
      if (builtin(type, activationOf(n)))
        return new Map<string, TensorData>([
          [`${n.attr}.weight_ih_l0`, transpose2d(weight(w, 'kernel', n))],
          [`${n.attr}.weight_hh_l0`, transpose2d(weight(w, 'recurrent_kernel', n))],
          [`${n.attr}.bias_ih_l0`, bias],
          [`${n.attr}.bias_hh_l0`, zeros(bias.shape)],
        ]);
      return new Map<string, TensorData>([
        [`${n.attr}.weight_ih`, transpose2d(weight(w, 'kernel', n))],
        [`${n.attr}.weight_hh`, transpose2d(weight(w, 'recurrent_kernel', n))],
        [`${n.attr}.bias`, bias],
      ]);
    },
    toTfjs: (n, state) => {
      if (builtin(type, activationOf(n))) {
        const ih = state(`${n.attr}.bias_ih_l0`);
        const hh = state(`${n.attr}.bias_hh_l0`);
        return new Map<string, TensorData>([
          ['kernel', transpose2d(state(`${n.attr}.weight_ih_l0`))],
          ['recurrent_kernel', transpose2d(state(`${n.attr}.weight_hh_l0`))],
          ['bias', { data: ih.data.map((v, i) => v + hh.data[i]), shape: ih.shape }],
        ]);
      }
      return new Map<string, TensorData>([
        ['kernel', transpose2d(state(`${n.attr}.weight_ih`))],
        ['recurrent_kernel', transpose2d(state(`${n.attr}.weight_hh`))],
        ['bias', state(`${n.attr}.bias`)],
      ]);
    },
  });
recurrent('SimpleRNN', 'TfSimpleRNN');
recurrent('LSTM', 'TfLSTM');
recurrent('GRU', 'TfGRU');
