// Layer weights by full name, `<node id>/<weight>` (`d1/kernel`, `bn/moving_mean`): the unit in which
// imported models, project weights files and runs hand weights to a compiled graph.
import type { WeightTensor } from '../onnx/emitter-types.ts';
import { WRAPPED_RNN } from '../layers/bidirectional.ts';

export type NamedWeights = Map<string, WeightTensor>;

export const weightName = (nodeId: string, weight: string): string => `${nodeId}/${weight}`;

/** A wrapped layer's weights sit one level down: Bidirectional's `forward_rnn/kernel`. */
const WRAPPED_WEIGHT = new RegExp(`/((?:forward|backward)_${WRAPPED_RNN}/[^/]+)$`);

/**
 * A weight's short name from the tfjs variable's original name: what follows its layer's name
 * (`d1/kernel` → `kernel`, `bi/forward_rnn/kernel` → `forward_rnn/kernel`), so a full name is the
 * name tfjs gives the weight in a saved model.
 */
export function shortWeightName(layerName: string, originalName: string): string {
  const name = originalName.replace(/:\d+$/, '');
  return name.startsWith(`${layerName}/`)
    ? name.slice(layerName.length + 1)
    : name.slice(name.lastIndexOf('/') + 1);
}

/** The node id and short weight name of a full name (node ids may themselves hold "/"). */
export function splitWeightName(name: string): { nodeId: string; weight: string } {
  const wrapped = WRAPPED_WEIGHT.exec(name);
  const cut = wrapped ? wrapped.index : name.lastIndexOf('/');
  return { nodeId: name.slice(0, cut), weight: name.slice(cut + 1) };
}

export const elementsOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
