// Layer weights by full name, `<node id>/<weight>` (`d1/kernel`, `bn/moving_mean`): the unit in which
// imported models, project weights files and runs hand weights to a compiled graph.
import type { WeightTensor } from '../onnx/emitter-types.ts';

export type NamedWeights = Map<string, WeightTensor>;

export const weightName = (nodeId: string, weight: string): string => `${nodeId}/${weight}`;

/** The node id and short weight name of a full name (node ids may themselves hold "/"). */
export function splitWeightName(name: string): { nodeId: string; weight: string } {
  const cut = name.lastIndexOf('/');
  return { nodeId: name.slice(0, cut), weight: name.slice(cut + 1) };
}

export const elementsOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
