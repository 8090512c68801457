// TimeDistributed(Dense): the same Dense applied to every step of a sequence [timesteps, features].
// tfjs's own wrapper computes it; the exporters treat it as the Dense it wraps, which already acts
// on the last axis (ONNX MatMul + Add, PyTorch nn.Linear).
import type { LayerSpec } from './types.ts';
import { knownLastAxis, requireRank, sequenceReshapeHint } from './common.ts';
import { DenseLayer, type DenseParams } from './dense.ts';

export type TimeDistributedParams = Omit<DenseParams, 'kernelRegularizer'>;

export const TimeDistributedLayer: LayerSpec<TimeDistributedParams> = {
  type: 'TimeDistributed',
  label: 'TimeDistributed(Dense)',
  category: 'Core',
  help: {
    summary: 'Applies one Dense layer, with the same weights, to every timestep of a sequence.',
    equation:
      'y_t = f(W·x_t + b) for each step t,  W ∈ ℝ^(units × features);  weights: features·units + units',
    whenToUse:
      'Per-step outputs after an RNN with returnSequences (tagging each step, sequence-to-sequence forecasts), ' +
      'or a per-step projection before one.',
  },
  arity: { min: 1, max: 1 },
  producesOutput: true,
  examples: [
    { inputs: [[5, 3]], params: { units: 4, activation: 'relu' } },
    { inputs: [[-1, 2]], params: { units: 3, useBias: false, activation: 'tanh' } },
  ],
  params: DenseLayer.params.filter((d) => d.name !== 'kernelRegularizer'),
  summarize: (p) => `${p.units} · ${p.activation} per step`,
  inferShape: ([x], p) => {
    requireRank(x, 2, 'TimeDistributed', 'a sequence [timesteps, features]', sequenceReshapeHint(x));
    knownLastAxis(x, 'TimeDistributed', 'features');
    return [x[0], p.units];
  },
  countParams: ([x], p) => (x[1] ?? 0) * p.units + (p.useBias ? p.units : 0),
  buildTfjs: ({ tf, name }, p) =>
    tf.layers.timeDistributed({
      name,
      layer: tf.layers.dense({
        name: 'dense',
        units: p.units,
        activation: p.activation as never,
        useBias: p.useBias,
      }),
    }),
};
