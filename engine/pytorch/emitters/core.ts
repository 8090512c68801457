// Dense, Activation, Dropout, Embedding and the element-wise/concatenating merges.
import type { TensorData } from '../../data/types.ts';
import { registerTorch } from '../registry.ts';
import { applyActivation, kwargs } from '../python.ts';
import { transpose2d } from '../tensors.ts';
import { activationProblem, channelDim, kernelPenalty, weight } from './common.ts';

type Any = Record<string, never> & Record<string, unknown>;

registerTorch('Dense', {
  check: activationProblem,
  inputLayout: () => 'tf',
  modules: (n) => {
    const inFeatures = n.inputShapes[0][n.inputShapes[0].length - 1];
    const bias = n.params.useBias === false ? ', bias=False' : '';
    return [{ name: n.attr, init: `nn.Linear(${inFeatures}, ${n.params.units}${bias})` }];
  },
  forward: (n, [x]) => ({
    expr: applyActivation(String(n.params.activation ?? 'linear'), `self.${n.attr}(${x})`, -1),
  }),
  toTorch: (n, w) => {
    const out = new Map<string, TensorData>([[`${n.attr}.weight`, transpose2d(weight(w, 'kernel', n))]]);
    if (w.has('bias')) out.set(`${n.attr}.bias`, w.get('bias')!);
    return out;
  },
  toTfjs: (n, state) => {
    const out = new Map<string, TensorData>([['kernel', transpose2d(state(`${n.attr}.weight`))]]);
    if (n.params.useBias !== false) out.set('bias', state(`${n.attr}.bias`));
    return out;
  },
  regularizer: (n) => kernelPenalty(n, 'weight'),
});

registerTorch('Activation', {
  check: activationProblem,
  inputLayout: () => 'keep',
  forward: (n, [x], layout) => ({
    expr: applyActivation(String(n.params.activation), x, channelDim(layout, n.outputShape.length + 1)),
  }),
});

registerTorch('Dropout', {
  inputLayout: () => 'keep',
  modules: (n) => [{ name: n.attr, init: `nn.Dropout(${kwargs({ p: Number(n.params.rate) })})` }],
  forward: (n, [x]) => ({ expr: `self.${n.attr}(${x})` }),
});

registerTorch('Embedding', {
  inputLayout: () => 'tf',
  modules: (n) => [{ name: n.attr, init: `nn.Embedding(${n.params.inputDim}, ${n.params.outputDim})` }],
  // tfjs feeds token ids as floats; nn.Embedding indexes with integers.
  forward: (n, [x]) => ({ expr: `self.${n.attr}(${x}.long())` }),
  toTorch: (n, w) => new Map([[`${n.attr}.weight`, weight(w, 'embeddings', n)]]),
  toTfjs: (n, state) => new Map([['embeddings', state(`${n.attr}.weight`)]]),
});

const merge = (type: string, join: (xs: string[]) => string) =>
  registerTorch<Any>(type, { inputLayout: () => 'keep', forward: (_n, xs) => ({ expr: join(xs) }) });
merge('Add', (xs) => xs.join(' + '));
merge('Multiply', (xs) => xs.join(' * '));
merge('Average', (xs) => `(${xs.join(' + ')}) / ${xs.length}`);

registerTorch('Concatenate', {
  inputLayout: () => 'keep',
  forward: (n, xs, layout) => {
    const rank = n.outputShape.length + 1;
    const axis = Number(n.params.axis);
    const tfAxis = axis < 0 ? axis + rank : axis;
    // Channels-first moves the last axis to 1 and shifts the spatial axes up by one.
    const dim =
      layout === 'cf' && rank > 2 ? (tfAxis === rank - 1 ? 1 : tfAxis === 0 ? 0 : tfAxis + 1) : tfAxis;
    return { expr: `torch.cat([${xs.join(', ')}], dim=${dim})` };
  },
});
