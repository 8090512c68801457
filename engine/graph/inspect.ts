// Validation and shape inference on the raw graph, without tfjs (docs/ARCHITECTURE.md, "The LayerSpec contract"). Pure: the renderer
// runs it on every edit, the CLI's `inspect` prints it, the compiler trusts its topological order.
import type { Graph, ProjectEdge, ProjectNode } from '../project/schema.ts';
import { getLayer, layerTypes } from '../layers/registry.ts';
import { resolveParams } from '../layers/params.ts';
import { elementCount, fmtShape } from '../layers/common.ts';
import { ShapeError, type Params, type Shape } from '../layers/types.ts';
import { RankError } from '../layers/common.ts';
import { portProblems, portStyle, sortByPort } from '../layers/ports.ts';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** The node the problem is about; null when it concerns the whole graph. */
  nodeId: string | null;
  severity: Severity;
  message: string;
}

export interface NodeInfo {
  id: string;
  type: string;
  /** With `null` for the batch dimension, e.g. [null, 26, 26, 32]; null when it can't be inferred. */
  outputShape: (number | null)[] | null;
  /**
   * Parameters with defaults filled in for the ones not given; a value the checks refused is shown as
   * written (e.g. kernelSize 1e308), not as the default used internally.
   */
  params: Params;
  paramCount: number;
  /** The node's weights are frozen (`trainable: false`): training leaves them unchanged. */
  frozen?: true;
  /** Ids of the input nodes, in port order. */
  inputs: string[];
}

export interface InspectResult {
  valid: boolean;
  diagnostics: Diagnostic[];
  nodes: NodeInfo[];
  totalParams: number;
  /** Parameters of frozen nodes (part of totalParams); the rest are trainable. */
  frozenParams: number;
  /** Node ids in a topological order (only nodes not in a cycle). */
  order: string[];
}

/** Incoming edges of every node, in the order they reach the layer: by port, then by file order. */
export function incomingEdges(graph: Graph): Map<string, ProjectEdge[]> {
  const incoming = new Map<string, ProjectEdge[]>();
  for (const node of graph.nodes) incoming.set(node.id, []);
  graph.edges.forEach((edge) => incoming.get(edge.target)?.push(edge));
  for (const node of graph.nodes) {
    incoming.set(node.id, sortByPort(getLayer(node.type), incoming.get(node.id)!));
  }
  return incoming;
}

/** Kahn's algorithm; nodes left over sit on (or behind) a cycle. */
function topologicalOrder(
  graph: Graph,
  incoming: Map<string, ProjectEdge[]>,
): { order: string[]; cyclic: string[] } {
  const indegree = new Map<string, number>();
  const outgoing = new Map<string, string[]>();
  for (const node of graph.nodes) {
    indegree.set(node.id, 0);
    outgoing.set(node.id, []);
  }
  for (const [target, edges] of incoming) {
    for (const edge of edges) {
      if (!indegree.has(edge.source)) continue;
      indegree.set(target, (indegree.get(target) ?? 0) + 1);
      outgoing.get(edge.source)!.push(target);
    }
  }
  const queue = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    order.push(id);
    for (const next of outgoing.get(id) ?? []) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) queue.push(next);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: graph.nodes.filter((n) => !placed.has(n.id)).map((n) => n.id) };
}

/** Most values one sample's tensor may hold: tfjs indexes tensors with int32. */
const MAX_ELEMENTS = 2 ** 31 - 1;

/** Product of the known sizes (a size that varies per sample counts as 1). */
const knownElementCount = (shape: Shape): number => elementCount(shape.map((d) => d ?? 1)) ?? 0;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The renderer inspects unsaved graphs, which the file loader has not checked: report duplicate ids
 * and edges to missing nodes, then go on with the first node of each id and the edges that connect.
 */
function structuralCheck(graph: Graph, error: (nodeId: string | null, message: string) => void): Graph {
  const seen = new Set<string>();
  const nodes = graph.nodes.filter((n) => {
    if (!seen.has(n.id)) return seen.add(n.id);
    error(n.id, `Node id "${n.id}" is used by more than one node; give each node its own id.`);
    return false;
  });
  const edges = graph.edges.filter((e) => {
    const hasSource = seen.has(e.source);
    const hasTarget = seen.has(e.target);
    if (!hasSource) {
      error(
        hasTarget ? e.target : null,
        `Edge "${e.id}" comes from node "${e.source}", which does not exist; delete the edge or reconnect it.`,
      );
    }
    if (!hasTarget) {
      error(
        hasSource ? e.source : null,
        `Edge "${e.id}" goes to node "${e.target}", which does not exist; delete the edge or reconnect it.`,
      );
    }
    return hasSource && hasTarget;
  });
  return { ...graph, nodes, edges };
}

/** The output activation each cross-entropy expects (Keras semantics: the loss reads probabilities). */
const PROBABILITY_LOSSES: Record<string, string> = {
  categoricalCrossentropy: 'softmax',
  sparseCategoricalCrossentropy: 'softmax',
  binaryCrossentropy: 'sigmoid',
};

/**
 * A cross-entropy Output fed by a layer that ends in another activation trains on numbers that are
 * not probabilities (a new Dense is linear): say so on the canvas before Train, not after.
 */
function lossActivationMismatch(
  out: ProjectNode,
  into: ProjectEdge[],
  nodes: Map<string, ProjectNode>,
): string | null {
  const loss = String((out.params as Record<string, unknown> | undefined)?.loss ?? 'categoricalCrossentropy');
  const wanted = PROBABILITY_LOSSES[loss];
  const last = into.length === 1 ? nodes.get(into[0].source) : undefined;
  const spec = last && getLayer(last.type);
  if (!wanted || !last || !spec?.params.some((p) => p.name === 'activation')) return null;
  const resolved = resolveParams(spec.params, (last.params ?? {}) as Record<string, unknown>);
  const activation = String(resolved.params.activation);
  if (activation === wanted) return null;
  return `${loss} expects probabilities, but "${last.id}" ends in ${activation}; set its activation to ${wanted}.`;
}

/**
 * A rank mismatch right after an Input is most often an Input whose shape was never set to the data's
 * (a new Input is [4]): say so beside the Reshape suggestion.
 */
function withInputShapeHint(err: RankError, into: ProjectEdge[], nodes: Map<string, ProjectNode>): string {
  const source = into.length === 1 ? nodes.get(into[0].source) : undefined;
  if (source?.type !== 'Input') return err.message;
  return `${err.message.replace(/\.$/, '')}; or, if your data already is ${err.expected}, set the shape of Input "${source.id}" to it.`;
}

export function inspectGraph(rawGraph: Graph): InspectResult {
  const diagnostics: Diagnostic[] = [];
  const error = (nodeId: string | null, message: string) =>
    diagnostics.push({ nodeId, severity: 'error', message });
  const warn = (nodeId: string | null, message: string) =>
    diagnostics.push({ nodeId, severity: 'warning', message });
  const graph = structuralCheck(rawGraph, error);

  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = incomingEdges(graph);
  const { order, cyclic } = topologicalOrder(graph, incoming);
  for (const id of cyclic) {
    error(
      id,
      'This node is part of a cycle (or fed by one); a network must flow one way. Remove the edge that loops back.',
    );
  }

  const shapes = new Map<string, Shape | null>();
  const infos = new Map<string, NodeInfo>();
  const consumers = new Map<string, number>();
  graph.edges.forEach((e) => consumers.set(e.source, (consumers.get(e.source) ?? 0) + 1));

  for (const node of graph.nodes) {
    infos.set(node.id, {
      id: node.id,
      type: node.type,
      outputShape: null,
      params: (node.params ?? {}) as Params,
      paramCount: 0,
      ...(node.trainable === false ? { frozen: true as const } : {}),
      inputs: (incoming.get(node.id) ?? []).map((e) => e.source),
    });
  }

  for (const id of order) {
    const node = nodeById.get(id)!;
    const info = infos.get(id)!;
    const spec = getLayer(node.type);
    if (!spec) {
      error(id, `Unknown layer type "${node.type}". Known types: ${layerTypes().join(', ')}.`);
      shapes.set(id, null);
      continue;
    }
    const resolved = resolveParams(spec.params, node.params as Record<string, unknown>);
    info.params = (resolved.problems.length ? resolved.asGiven : resolved.params) as Params;
    resolved.warnings.forEach((m) => warn(id, m));
    const paramProblems = [...resolved.problems];
    if (!paramProblems.length && spec.checkParams)
      paramProblems.push(...spec.checkParams(resolved.params as never));
    paramProblems.forEach((m) => error(id, `${spec.label}: ${m}`));
    if (!paramProblems.length)
      spec.paramWarnings?.(resolved.params as never).forEach((m) => warn(id, `${spec.label}: ${m}`));

    const edges = incoming.get(id) ?? [];
    if (portStyle(spec) === 'named' && edges.length) {
      // Named ports say what is missing or extra better than a count of inputs.
      const portErrors = portProblems(spec, edges);
      portErrors.forEach((m) => error(id, m));
      if (portErrors.length) {
        shapes.set(id, null);
        continue;
      }
    }
    const { min, max } = spec.arity;
    if (edges.length < min || edges.length > max) {
      if (max === 0)
        error(
          id,
          `${spec.label} takes no inputs; remove the ${plural(edges.length, 'incoming connection')}.`,
        );
      else if (min === max) {
        error(
          id,
          edges.length === 0
            ? `${spec.label} has no input; connect a layer's output to it.`
            : `${spec.label} takes exactly ${plural(min, 'input')} but has ${edges.length}; remove the extra connection.`,
        );
      } else if (edges.length < min) {
        error(
          id,
          `${spec.label} needs at least ${min} inputs but has ${edges.length}; connect another layer to it.`,
        );
      } else error(id, `${spec.label} takes at most ${max} inputs but has ${edges.length}.`);
      shapes.set(id, null);
      continue;
    }
    if (portStyle(spec) !== 'named') portProblems(spec, edges).forEach((m) => error(id, m));
    const badSource = edges.find((e) => nodeById.get(e.source)?.type === 'Output');
    if (badSource) {
      error(
        id,
        `Output "${badSource.source}" produces nothing to feed "${id}"; connect from the layer before the Output instead.`,
      );
      shapes.set(id, null);
      continue;
    }
    const inputShapes = edges.map((e) => shapes.get(e.source) ?? null);
    if (inputShapes.some((s) => s === null) || paramProblems.length) {
      shapes.set(id, null); // upstream or parameter problem already reported
      continue;
    }
    try {
      const shape = spec.inferShape(inputShapes as Shape[], resolved.params as never);
      const values = knownElementCount(shape);
      if (values > MAX_ELEMENTS) {
        error(
          id,
          `${spec.label} "${id}" gives ${fmtShape(shape)} per sample, ${values.toLocaleString('en-US')} values; tfjs indexes tensors with 32-bit integers, so one sample may hold at most ${MAX_ELEMENTS.toLocaleString('en-US')} values. Make ${node.type === 'Input' ? 'this shape' : "this layer's sizes or its input's shape"} smaller.`,
        );
        shapes.set(id, null);
        continue;
      }
      shapes.set(id, shape);
      info.outputShape = spec.producesOutput || node.type === 'Output' ? [null, ...shape] : null;
      const count = spec.countParams(inputShapes as Shape[], resolved.params as never);
      if (!Number.isSafeInteger(count)) {
        // Sizes that pass their own checks can still multiply past what a float64 counts exactly.
        error(
          id,
          `${spec.label} would have more than ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')} parameters; make its sizes smaller.`,
        );
        info.outputShape = null;
        shapes.set(id, null);
        continue;
      }
      info.paramCount = count;
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      error(
        id,
        err instanceof RankError ? withInputShapeHint(err, incoming.get(id) ?? [], nodeById) : err.message,
      );
      shapes.set(id, null);
    }
  }

  const inputs = graph.nodes.filter((n) => n.type === 'Input');
  const outputs = graph.nodes.filter((n) => n.type === 'Output');
  if (!inputs.length) error(null, 'The graph has no Input node; add one from the palette and set its shape.');
  if (!outputs.length) error(null, 'The graph has no Output node; connect your last layer to an Output.');

  // Dead ends: layers whose result reaches no Output are not part of the model.
  const reachesOutput = new Set<string>();
  const stack = outputs.map((n) => n.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (reachesOutput.has(id)) continue;
    reachesOutput.add(id);
    for (const e of incoming.get(id) ?? []) stack.push(e.source);
  }
  for (const node of graph.nodes) {
    if (outputs.length && !reachesOutput.has(node.id) && node.type !== 'Output' && getLayer(node.type)) {
      if (node.type === 'Input') {
        error(node.id, `Input "${node.id}" does not lead to any Output; connect it or delete it.`);
      } else if (!consumers.get(node.id)) {
        warn(
          node.id,
          `The output of "${node.id}" is not used; connect it onward to an Output or delete the node.`,
        );
      } else {
        warn(node.id, `"${node.id}" does not lead to any Output, so it is not part of the model.`);
      }
    }
  }

  for (const out of outputs) {
    const problem = lossActivationMismatch(out, incoming.get(out.id) ?? [], nodeById);
    if (problem) warn(out.id, problem);
  }

  const nodes = graph.nodes.map((n) => infos.get(n.id)!);
  const totalParams = nodes.reduce((sum, n) => sum + n.paramCount, 0);
  const frozenParams = nodes.reduce((sum, n) => sum + (n.frozen ? n.paramCount : 0), 0);
  return {
    valid: !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    nodes,
    totalParams,
    frozenParams,
    order,
  };
}
