// Compile a valid graph into a tfjs functional model (tf.model({inputs, outputs})). Branches, skip
// connections and several inputs/outputs are supported; the caller passes the tfjs namespace with
// the backend already chosen (engine/backend.ts).
import type * as tfjs from '@tensorflow/tfjs';
import type { Graph } from '../project/schema.ts';
import { inspectGraph, incomingEdges, type InspectResult } from '../graph/inspect.ts';
import { getLayer } from '../layers/registry.ts';
import { distinctSources } from '../layers/ports.ts';
import { liveNodes } from '../graph/live-nodes.ts';
import type { Shape } from '../layers/types.ts';
import { registerUnpackGradient } from '../kernels/unpack-gradient.ts';
import { foldReluAfterBatchNorm } from '../kernels/batch-norm-relu-fold.ts';

export interface CompiledModel {
  model: tfjs.LayersModel;
  /** Input node ids in the order of model.inputs. */
  inputIds: string[];
  /** Output node ids (the Output nodes) in the order of model.outputs. */
  outputIds: string[];
  /** Loss per output, in output order. */
  losses: string[];
  /** Node id → tfjs layer (layers only; Input/Output have none). */
  layerOf: Map<string, tfjs.layers.Layer>;
  inspection: InspectResult;
}

export class CompileError extends Error {
  constructor(public readonly inspection: InspectResult) {
    const first = inspection.diagnostics.find((d) => d.severity === 'error');
    super(first ? `${first.nodeId ? `${first.nodeId}: ` : ''}${first.message}` : 'The graph is not valid.');
  }
}

export function compileGraph(tf: typeof tfjs, graph: Graph): CompiledModel {
  const inspection = inspectGraph(graph);
  if (!inspection.valid) throw new CompileError(inspection);
  registerUnpackGradient(tf);
  const incoming = incomingEdges(graph);
  const tensors = new Map<string, tfjs.SymbolicTensor>();
  const shapes = new Map<string, Shape>();
  const layerOf = new Map<string, tfjs.layers.Layer>();
  const inputs: tfjs.SymbolicTensor[] = [];
  const inputIds: string[] = [];
  const outputs: tfjs.SymbolicTensor[] = [];
  const outputIds: string[] = [];
  const losses: string[] = [];
  const frozen = new Set(graph.nodes.filter((n) => n.trainable === false).map((n) => n.id));

  // Only nodes that reach an Output take part (dead ends were reported as warnings).
  for (const info of liveNodes(inspection)) {
    const id = info.id;
    const spec = getLayer(info.type)!;
    const srcIds = (incoming.get(id) ?? []).map((e) => e.source);
    const inputShapes = srcIds.map((s) => shapes.get(s)!);
    if (info.type === 'Input') {
      const shape = info.outputShape!.slice(1); // -1 (varies per sample) is null here
      const t = tf.input({ shape, name: id, dtype: 'float32' });
      tensors.set(id, t);
      shapes.set(id, shape);
      inputs.push(t);
      inputIds.push(id);
      continue;
    }
    if (info.type === 'Output') {
      outputs.push(tensors.get(srcIds[0])!);
      outputIds.push(id);
      losses.push(info.params.loss as string);
      continue;
    }
    const distinct = distinctSources(spec, srcIds);
    const layer = spec.buildTfjs(
      { tf, name: id, inputShapes, inputIndex: distinct.index },
      info.params as never,
    );
    if (!layer) throw new Error(`Layer ${info.type} has no tfjs builder.`);
    if (frozen.has(id)) freeze(layer);
    const srcTensors = distinct.sources.map((s) => tensors.get(s)!);
    const out = layer.apply(spec.arity.max > 1 ? srcTensors : srcTensors[0]) as tfjs.SymbolicTensor;
    tensors.set(id, out);
    shapes.set(id, info.outputShape!.slice(1));
    layerOf.set(id, layer);
  }
  const model = tf.model({ inputs, outputs, name: 'netwright' });
  foldReluAfterBatchNorm(model);
  return { model, inputIds, outputIds, losses, layerOf, inspection };
}

/**
 * A frozen layer keeps its weights and computes as at inference, in training too: a frozen
 * BatchNormalization normalises with its moving statistics and does not update them (as in Keras).
 */
function freeze(layer: tfjs.layers.Layer): void {
  layer.trainable = false;
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}
