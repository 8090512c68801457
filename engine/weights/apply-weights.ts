// Put named weights into a compiled model, layer by layer. Weights the model has no node for, and
// nodes the weights do not cover, are left alone (a replaced head keeps its fresh initialisation);
// a weight whose shape differs is refused per node before anything is changed.
import type * as tfjs from '@tensorflow/tfjs';
import { EngineError } from '../api.ts';
import { shortWeightName, weightName, type NamedWeights } from './named-weights.ts';

export interface AppliedWeights {
  /** Node ids whose layers took weights. */
  nodes: string[];
}

const fmt = (shape: readonly (number | null)[]) => `[${shape.join(', ')}]`;

/** Sets every weight of `layerOf`'s layers that `weights` holds; throws one sentence per mismatched node. */
export function applyWeights(
  tf: typeof tfjs,
  layerOf: ReadonlyMap<string, tfjs.layers.Layer>,
  weights: NamedWeights,
  source: string | ((weightName: string) => string),
): AppliedWeights {
  const sourceOf = typeof source === 'string' ? () => source : source;
  const plan: { variable: tfjs.LayerVariable; data: Float32Array; shape: number[] }[] = [];
  const problems: { path: string; message: string }[] = [];
  const nodes: string[] = [];
  for (const [nodeId, layer] of layerOf) {
    let took = false;
    for (const variable of layer.weights) {
      const short = shortWeightName(layer.name, variable.originalName);
      const name = weightName(nodeId, short);
      const given = weights.get(name);
      if (!given) continue;
      const need = variable.shape as number[];
      if (given.shape.length !== need.length || given.shape.some((d, i) => d !== need[i])) {
        problems.push({
          path: nodeId,
          message: `Node ${nodeId}: its ${short} weights in ${sourceOf(name)} have shape ${fmt(given.shape)}, but the layer needs ${fmt(need)}.`,
        });
        continue;
      }
      plan.push({ variable, data: given.data, shape: need });
      took = true;
    }
    if (took) nodes.push(nodeId);
  }
  if (problems.length)
    throw new EngineError({
      code: 'invalid',
      message:
        problems.length === 1
          ? problems[0].message
          : `${problems.length} nodes do not fit their start weights: ${problems.map((p) => p.message).join(' ')}`,
      problems,
    });
  for (const { variable, data, shape } of plan) {
    const t = tf.tensor(data, shape);
    variable.write(t);
    t.dispose();
  }
  return { nodes };
}
