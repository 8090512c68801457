// What the parity check feeds each model input: Gaussian floats, or integer ids for the inputs that
// feed an Embedding (ids within its vocabulary).
import type { InspectResult } from '../graph/inspect.ts';
import type { Shape } from '../layers/types.ts';
import { liveNodes } from '../graph/live-nodes.ts';
import type { ParityInputSpec } from './parity.ts';

export function parityInputs(inspection: InspectResult): ParityInputSpec[] {
  const nodes = liveNodes(inspection);
  return nodes
    .filter((n) => n.type === 'Input')
    .map((input) => {
      const vocab = nodes
        .filter((n) => n.type === 'Embedding' && n.inputs.includes(input.id))
        .map((n) => n.params.inputDim as number);
      const spec: ParityInputSpec = { name: input.id, shape: (input.outputShape ?? []).slice(1) as Shape };
      if (vocab.length) spec.maxId = Math.min(...vocab);
      return spec;
    });
}
