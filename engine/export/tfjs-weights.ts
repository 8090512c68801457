// Read a tfjs layer's weights by short name ("d1/kernel" → "kernel", engine/weights/named-weights.ts), as the
// ONNX emitters want them.
import type * as tfjs from '@tensorflow/tfjs';
import type { WeightTensor } from '../onnx/emitter-types.ts';
import { shortWeightName } from '../weights/named-weights.ts';

export function layerWeights(model: tfjs.LayersModel, nodeId: string): Map<string, WeightTensor> {
  let layer: tfjs.layers.Layer;
  try {
    layer = model.getLayer(nodeId);
  } catch {
    throw new Error(`The tfjs model has no layer named "${nodeId}"; it does not match the project graph.`);
  }
  const out = new Map<string, WeightTensor>();
  for (const w of layer.weights) {
    const short = shortWeightName(layer.name, w.originalName);
    out.set(short, { shape: [...w.shape] as number[], data: w.read().dataSync() as Float32Array });
  }
  return out;
}
