// The live graph as the PyTorch exporter sees it: nodes in topological order with Python names,
// their emitters, and the model's inputs and outputs in compileGraph's order.
import type { InspectResult, NodeInfo } from '../graph/inspect.ts';
import { liveNodes } from '../graph/live-nodes.ts';
import type { Shape } from '../layers/types.ts';
import type { TorchEmitter, TorchNode } from './emitter-types.ts';
import { identifierFor } from './python.ts';
import { torchEmitterFor } from './registry.ts';
import './emitters/index.ts';

export interface TorchGraph {
  /** Every live node, Inputs and Outputs included, in topological order. */
  nodes: TorchNode[];
  emitters: Map<string, TorchEmitter>;
  /** Node ids of the Python inputs (Input nodes) and of what each Output returns. */
  inputs: TorchNode[];
  outputs: TorchNode[];
  byId: Map<string, TorchNode>;
  /** Source node id per node, in port order. */
  sources: Map<string, string[]>;
}

const shapeOf = (n: NodeInfo): Shape => (n.outputShape ?? []).slice(1);

export function torchGraph(inspection: InspectResult, frozen: ReadonlySet<string> = new Set()): TorchGraph {
  const live = liveNodes(inspection);
  const info = new Map(inspection.nodes.map((n) => [n.id, n]));
  const taken = new Set<string>();
  const nodes: TorchNode[] = live.map((n) => ({
    id: n.id,
    type: n.type,
    attr: identifierFor(n.id, taken),
    params: n.params,
    inputShapes: n.inputs.map((s) => shapeOf(info.get(s)!)),
    outputShape: n.type === 'Output' ? shapeOf(info.get(n.inputs[0])!) : shapeOf(n),
    frozen: frozen.has(n.id),
  }));
  const emitters = new Map<string, TorchEmitter>();
  for (const n of nodes) {
    const e = torchEmitterFor(n.type);
    if (e) emitters.set(n.id, e);
  }
  return {
    nodes,
    emitters,
    inputs: nodes.filter((n) => n.type === 'Input'),
    outputs: nodes.filter((n) => n.type === 'Output'),
    byId: new Map(nodes.map((n) => [n.id, n])),
    sources: new Map(live.map((n) => [n.id, n.inputs])),
  };
}
