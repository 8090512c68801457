// BatchNormalization (channels-first, as PyTorch's BatchNorm wants) and LayerNormalization (last axis).
import type { TensorData } from '../../data/types.ts';
import { registerTorch } from '../registry.ts';
import { kwargs } from '../python.ts';
import { weight } from './common.ts';

registerTorch('BatchNormalization', {
  inputLayout: () => 'cf',
  modules: (n) => {
    const shape = n.inputShapes[0];
    const kind = shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
    // Keras keeps `momentum` of the old moving average; PyTorch's momentum is the new batch's share.
    const args = kwargs({ eps: Number(n.params.epsilon), momentum: 1 - Number(n.params.momentum) });
    return [{ name: n.attr, init: `nn.${kind}(${shape[shape.length - 1]}, ${args})` }];
  },
  forward: (n, [x]) => ({ expr: `self.${n.attr}(${x})` }),
  toTorch: (n, w) =>
    new Map<string, TensorData>([
      [`${n.attr}.weight`, weight(w, 'gamma', n)],
      [`${n.attr}.bias`, weight(w, 'beta', n)],
      [`${n.attr}.running_mean`, weight(w, 'moving_mean', n)],
      [`${n.attr}.running_var`, weight(w, 'moving_variance', n)],
    ]),
  toTfjs: (n, state) =>
    new Map<string, TensorData>([
      ['gamma', state(`${n.attr}.weight`)],
      ['beta', state(`${n.attr}.bias`)],
      ['moving_mean', state(`${n.attr}.running_mean`)],
      ['moving_variance', state(`${n.attr}.running_var`)],
    ]),
});

registerTorch('LayerNormalization', {
  inputLayout: () => 'tf',
  modules: (n) => {
    const shape = n.inputShapes[0];
    return [
      {
        name: n.attr,
        init: `nn.LayerNorm(${shape[shape.length - 1]}, ${kwargs({ eps: Number(n.params.epsilon) })})`,
      },
    ];
  },
  forward: (n, [x]) => ({ expr: `self.${n.attr}(${x})` }),
  toTorch: (n, w) =>
    new Map<string, TensorData>([
      [`${n.attr}.weight`, weight(w, 'gamma', n)],
      [`${n.attr}.bias`, weight(w, 'beta', n)],
    ]),
  toTfjs: (n, state) =>
    new Map<string, TensorData>([
      ['gamma', state(`${n.attr}.weight`)],
      ['beta', state(`${n.attr}.bias`)],
    ]),
});
