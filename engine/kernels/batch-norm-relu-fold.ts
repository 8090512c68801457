// Which BatchNormalization layers apply the ReLU after them inside their fused training op
// (fused-batch-norm.ts): a layer cannot see the next one, so the compiled model is walked once
// (foldReluAfterBatchNorm) and the BatchNormalization whose only consumer is an Activation('relu') is
// marked. The op then returns max(0, y) and its gradient masks dy itself; the Activation layer passes
// such a tensor through. Anything the op did not produce (inference, other backends, a loaded model)
// still goes through the Activation's own ReLU. docs/ARCHITECTURE.md, "Performance".
import * as tf from '@tensorflow/tfjs';
import { routeLayerCall, singleInput } from './layer-routing.ts';

interface LayerLike {
  getClassName(): string;
  getConfig(): { activation?: unknown };
  outboundNodes: { outboundLayer: LayerLike }[];
}

const folding = new WeakSet<object>();
let enabled = true;
const reluApplied = new WeakSet<tf.Tensor>();

function isReluActivation(layer: LayerLike): boolean {
  return layer.getClassName() === 'Activation' && layer.getConfig().activation === 'relu';
}

/** Mark the model's BatchNormalization layers whose output feeds one ReLU Activation and nothing
 *  else (not a model output either). */
export function foldReluAfterBatchNorm(model: tf.LayersModel): void {
  if (!enabled) return;
  const outputs = new Set<object>(model.outputLayers);
  for (const layer of model.layers as unknown as LayerLike[]) {
    if (layer.getClassName() !== 'BatchNormalization' || outputs.has(layer)) continue;
    const next = layer.outboundNodes;
    if (next.length === 1 && isReluActivation(next[0].outboundLayer)) folding.add(layer);
  }
}

/** Measurements compare against the unfolded ReLU by compiling with the fold off. */
export function setReluFoldEnabled(on: boolean): void {
  enabled = on;
}

/** Whether this BatchNormalization layer's training op should apply the ReLU after it. */
export function foldsRelu(layer: object): boolean {
  return folding.has(layer);
}

/** Record that `y` already had the ReLU applied (the Activation after it then passes it through). */
export function markReluApplied(y: tf.Tensor): void {
  reluApplied.add(y);
}

let installed = false;

/** Make tfjs-layers' Activation pass through a tensor its BatchNormalization already ReLU'd
 *  (idempotent). */
export function installReluPassThrough(): void {
  if (installed) return;
  installed = true;
  routeLayerCall<LayerLike>(tf.layers.activation({ activation: 'relu' }), (layer, inputs) => {
    const x = singleInput(inputs);
    return x && reluApplied.has(x) && isReluActivation(layer) ? x : null;
  });
}
