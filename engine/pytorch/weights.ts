// Weight conversion between a tfjs model and the PyTorch state_dict of model.py, both ways, through
// each layer's emitter.
import type * as tfjs from '@tensorflow/tfjs';
import type { TensorData } from '../data/types.ts';
import { layerWeights } from '../export/tfjs-weights.ts';
import type { TorchGraph } from './torch-graph.ts';
import { shortWeightName } from '../weights/named-weights.ts';

/** The state_dict of model.py (num_batches_tracked aside) from the tfjs model's weights. */
export function torchState(g: TorchGraph, model: tfjs.LayersModel): Map<string, TensorData> {
  const state = new Map<string, TensorData>();
  for (const node of g.nodes) {
    const emitter = g.emitters.get(node.id);
    if (!emitter?.toTorch) continue;
    for (const [key, t] of emitter.toTorch(node, layerWeights(model, node.id))) state.set(key, t);
  }
  return state;
}

/** Put a state_dict into the tfjs model, layer by layer, in each layer's own weight order. */
export function setTfjsWeights(
  tf: typeof tfjs,
  g: TorchGraph,
  model: tfjs.LayersModel,
  state: (key: string) => TensorData,
): void {
  for (const node of g.nodes) {
    const emitter = g.emitters.get(node.id);
    if (!emitter?.toTfjs) continue;
    const byName = emitter.toTfjs(node, state);
    const layer = model.getLayer(node.id);
    const values = layer.weights.map((w) => {
      const short = shortWeightName(layer.name, w.originalName);
      const t = byName.get(short);
      if (!t) throw new Error(`No value for the weight "${short}" of layer "${node.id}".`);
      const size = w.shape.reduce((a: number, b) => a * (b as number), 1);
      if (t.data.length !== size)
        throw new Error(
          `The weight "${short}" of layer "${node.id}" has ${t.data.length} values; the model needs ${size}.`,
        );
      return tf.tensor(t.data, w.shape as number[]);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}
