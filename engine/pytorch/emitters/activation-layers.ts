// The activation layers with settings: element-wise (Softmax along its axis) in whatever layout
// comes, except PReLU and Softmax, whose slopes and axis are in tfjs' order.
import type { TensorData } from '../../data/types.ts';
import type * as A from '../../layers/activation-layers.ts';
import { registerTorch } from '../registry.ts';
import { kwargs, py } from '../python.ts';
import { weight } from './common.ts';

registerTorch<A.LeakyReLUParams>('LeakyReLU', {
  inputLayout: () => 'keep',
  forward: (n, [x]) => ({ expr: `F.leaky_relu(${x}, ${kwargs({ negative_slope: n.params.alpha })})` }),
});

registerTorch<A.ELUParams>('ELU', {
  inputLayout: () => 'keep',
  forward: (n, [x]) => ({ expr: `F.elu(${x}, ${kwargs({ alpha: n.params.alpha })})` }),
});

registerTorch<A.ReLUParams>('ReLU', {
  inputLayout: () => 'keep',
  forward: (n, [x]) => {
    const { maxValue, negativeSlope, threshold } = n.params;
    const capped = maxValue === null ? x : `${x}.clamp(max=${py(maxValue)})`;
    if (negativeSlope === 0 && threshold === 0) return { expr: `torch.relu(${capped})` };
    const below = `${py(negativeSlope)} * (${x} - ${py(threshold)})`;
    return { expr: `torch.where(${x} > ${py(threshold)}, ${capped}, ${below})` };
  },
});

registerTorch<A.SoftmaxParams>('Softmax', {
  // Keras axes count the batch as 0 and negative ones from the end, as torch's dims do.
  inputLayout: () => 'tf',
  forward: (n, [x]) => ({ expr: `torch.softmax(${x}, dim=${n.params.axis})` }),
});

registerTorch<A.PReLUParams>('PReLU', {
  inputLayout: () => 'tf',
  modules: (n) => {
    const shape = n.inputShapes[0].map((d, i) => (n.params.sharedAxes?.includes(i + 1) ? 1 : d));
    return [{ name: n.attr, init: `nn.Parameter(torch.zeros(${shape.join(', ')}))` }];
  },
  forward: (n, [x]) => ({ expr: `torch.where(${x} > 0, ${x}, self.${n.attr} * ${x})` }),
  toTorch: (n, w) => new Map<string, TensorData>([[n.attr, weight(w, 'alpha', n)]]),
  toTfjs: (n, state) => new Map<string, TensorData>([['alpha', state(n.attr)]]),
});
