// Dense, Activation, Dropout, Embedding and the element-wise/concatenating merges.
import type { TensorData } from '../../data/types.ts';
import { registerTorch } from '../registry.ts';
import { applyActivation, kwargs, py } from '../python.ts';
import type { TorchEmitter, TorchNode } from '../emitter-types.ts';
import { dotAxes, dotEquation, type DotParams } from '../../layers/dot.ts';
import { transpose2d } from '../tensors.ts';
import { activationProblem, channelDim, kernelPenalty, weight } from './common.ts';

type Any = Record<string, never> & Record<string, unknown>;

// TimeDistributed(Dense) is the same nn.Linear: it acts on the last axis.
const dense: TorchEmitter = {
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
};
registerTorch('Dense', dense);
registerTorch('TimeDistributed', dense);

registerTorch('Activation', {
  check: activationProblem,
  inputLayout: () => 'keep',
  forward: (n, [x], layout) => ({
    expr: applyActivation(String(n.params.activation), x, channelDim(layout, n.outputShape.length + 1)),
  }),
});

/** A torch dropout module with the node's rate, in the layout it needs. */
const dropout = (type: string, module: string, layout: 'keep' | 'cf') =>
  registerTorch(type, {
    inputLayout: () => layout,
    modules: (n) => [{ name: n.attr, init: `nn.${module}(${kwargs({ p: Number(n.params.rate) })})` }],
    forward: (n, [x]) => ({ expr: `self.${n.attr}(${x})` }),
  });
dropout('Dropout', 'Dropout', 'keep');
dropout('AlphaDropout', 'AlphaDropout', 'keep');
// Channels-first, so torch's channel dropouts drop whole channels as tfjs' spatial dropouts do.
dropout('SpatialDropout1D', 'Dropout1d', 'cf');
dropout('SpatialDropout2D', 'Dropout2d', 'cf');

// Noise only while training (train.py), the identity in eval mode, as in tfjs.
const whileTraining = (type: string, noisy: (n: TorchNode, x: string) => string) =>
  registerTorch(type, {
    inputLayout: () => 'keep',
    forward: (n, [x]) => ({ expr: `(${noisy(n, x)}) if self.training else ${x}` }),
  });
whileTraining('GaussianNoise', (n, x) => `${x} + ${py(n.params.stddev)} * torch.randn_like(${x})`);
whileTraining('GaussianDropout', (n, x) => {
  const rate = Number(n.params.rate);
  return `${x} * (1 + ${py(Math.sqrt(rate / (1 - rate)))} * torch.randn_like(${x}))`;
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

registerTorch<Any>('Subtract', {
  inputLayout: () => 'keep',
  forward: (_n, [a, b]) => ({ expr: `${a} - ${b}` }),
});
const pairwise = (type: string, fn: string) =>
  merge(type, (xs) => xs.slice(1).reduce((y, x) => `torch.${fn}(${y}, ${x})`, xs[0]));
pairwise('Maximum', 'maximum');
pairwise('Minimum', 'minimum');

registerTorch<DotParams>('Dot', {
  inputLayout: () => 'tf',
  forward: (n, xs) => {
    const axes = dotAxes(n.params);
    const [a, b] = axes.map((axis, i) =>
      n.params.normalize ? `l2_normalize(${xs[i]}, ${axis + 1})` : xs[i],
    );
    const ranks = n.inputShapes.map((s) => s.length) as [number, number];
    const y = `torch.einsum(${JSON.stringify(dotEquation(ranks, axes))}, ${a}, ${b})`;
    return { expr: ranks[0] + ranks[1] === 2 ? `${y}.unsqueeze(1)` : y };
  },
});
