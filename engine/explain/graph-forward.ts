// The trained model run layer by layer along the project graph, so a method can replace any
// node's output with a tensor of its own (Grad-CAM differentiates the score with respect to a conv
// layer's activations, which tf.grads can only do when they are an argument). Layers are the
// model's own (named by node id, engine/compile/tfjs-model.ts), called in inference mode.
import type * as tfjs from '@tensorflow/tfjs';
import { incomingEdges, inspectGraph } from '../graph/inspect.ts';
import { distinctSources } from '../layers/ports.ts';
import { liveNodes } from '../graph/live-nodes.ts';
import { getLayer } from '../layers/registry.ts';
import type { Graph } from '../project/schema.ts';

export interface GraphForward {
  /** Live Input node ids, in the order of the model's inputs. */
  inputIds: string[];
  /** Node id → its output shape without the batch (null where unknown). */
  shapes: Map<string, (number | null)[]>;
  /** Node types by id, for choosing layers (e.g. the last Conv2D). */
  types: Map<string, string>;
  /** Live layer ids in topological order. */
  order: string[];
  /** Run the model on `inputs`; nodes in `overrides` output the given tensor instead. Returns every node's output. */
  run(inputs: tfjs.Tensor[], overrides?: Map<string, tfjs.Tensor>): Map<string, tfjs.Tensor>;
  /** The output of the graph's (first) Output node from run()'s map. */
  outputOf(values: Map<string, tfjs.Tensor>): tfjs.Tensor;
  /**
   * The class scores before the final softmax or sigmoid (a Dense layer's pre-activation, or an
   * Activation layer's input), from run()'s map; null when the model does not end in one.
   */
  logitsOf(values: Map<string, tfjs.Tensor>): tfjs.Tensor | null;
}

const SQUASHING = new Set(['softmax', 'sigmoid']);

export function graphForward(model: tfjs.LayersModel, graph: Graph): GraphForward {
  const inspection = inspectGraph(graph);
  const live = liveNodes(inspection);
  const incoming = incomingEdges(graph);
  const sources = (id: string) => (incoming.get(id) ?? []).map((e) => e.source);
  const inputIds = live.filter((n) => n.type === 'Input').map((n) => n.id);
  const outputId = live.find((n) => n.type === 'Output')!.id;
  const shapes = new Map(live.map((n) => [n.id, (n.outputShape ?? []).slice(1)]));
  const types = new Map(live.map((n) => [n.id, n.type]));
  const last = live.find((n) => n.id === sources(outputId)[0])!;
  const squashed = SQUASHING.has(String(last.params.activation));
  return {
    inputIds,
    shapes,
    types,
    order: live.filter((n) => n.type !== 'Input' && n.type !== 'Output').map((n) => n.id),
    run(inputs, overrides = new Map()) {
      const values = new Map<string, tfjs.Tensor>();
      for (const node of live) {
        const given = overrides.get(node.id);
        if (given) values.set(node.id, given);
        else if (node.type === 'Input') values.set(node.id, inputs[inputIds.indexOf(node.id)]);
        else if (node.type === 'Output') values.set(node.id, values.get(sources(node.id)[0])!);
        else {
          const spec = getLayer(node.type)!;
          const srcs = distinctSources(spec, sources(node.id)).sources.map((s) => values.get(s)!);
          const layer = model.getLayer(node.id);
          const many = spec.arity.max > 1;
          values.set(node.id, layer.apply(many ? srcs : srcs[0], { training: false }) as tfjs.Tensor);
        }
      }
      return values;
    },
    outputOf: (values) => values.get(outputId)!,
    logitsOf(values) {
      if (!squashed || (last.type !== 'Dense' && last.type !== 'Activation')) return null;
      const input = values.get(sources(last.id)[0])!;
      if (last.type === 'Activation') return input;
      const [kernel, bias] = model.getLayer(last.id).getWeights();
      const z = input.matMul(kernel);
      return bias ? z.add(bias) : z;
    },
  };
}
