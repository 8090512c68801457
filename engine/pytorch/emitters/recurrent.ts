// SimpleRNN, LSTM and GRU as the recurrent classes of model.py (TfSimpleRNN, TfLSTM, TfGRU): one
// bias like tfjs, gates in tfjs order (LSTM i, f, c, o; GRU z, r, h with reset_after = false),
// any activation. Weights are stored (out, in) as PyTorch stores nn.Linear's.
import type { TensorData } from '../../data/types.ts';
import { registerTorch } from '../registry.ts';
import { activationCallable } from '../python.ts';
import { transpose2d } from '../tensors.ts';
import { activationProblem, weight } from './common.ts';

const recurrent = (type: string, pyClass: string) =>
  registerTorch(type, {
    check: activationProblem,
    inputLayout: () => 'tf',
    modules: (n) => {
      const features = n.inputShapes[0][1];
      const activation = String(n.params.activation ?? 'tanh');
      const act = activation === 'tanh' ? '' : `, activation=${activationCallable(activation)}`;
      return [{ name: n.attr, init: `${pyClass}(${features}, ${n.params.units}${act})` }];
    },
    forward: (n, [x]) => ({
      expr: n.params.returnSequences ? `self.${n.attr}(${x})` : `self.${n.attr}(${x})[:, -1]`,
    }),
    toTorch: (n, w) =>
      new Map<string, TensorData>([
        [`${n.attr}.weight_ih`, transpose2d(weight(w, 'kernel', n))],
        [`${n.attr}.weight_hh`, transpose2d(weight(w, 'recurrent_kernel', n))],
        [`${n.attr}.bias`, weight(w, 'bias', n)],
      ]),
    toTfjs: (n, state) =>
      new Map<string, TensorData>([
        ['kernel', transpose2d(state(`${n.attr}.weight_ih`))],
        ['recurrent_kernel', transpose2d(state(`${n.attr}.weight_hh`))],
        ['bias', state(`${n.attr}.bias`)],
      ]),
  });
recurrent('SimpleRNN', 'TfSimpleRNN');
recurrent('LSTM', 'TfLSTM');
recurrent('GRU', 'TfGRU');
