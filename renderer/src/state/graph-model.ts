// The editor's graph as React Flow sees it, and conversions to and from the project format.
// Unknown keys on nodes/edges (the format keeps them) ride along in `extra` so a round trip loses nothing.
import type { Edge, Node } from '@xyflow/react';
import type {
  Graph,
  Project,
  ProjectBlock,
  ProjectEdge,
  ProjectNode,
} from '../../../engine/project/schema.ts';
import { SINGLE_PORT } from '../../../engine/layers/ports.ts';

export type LayerNodeData = {
  layerType: string;
  params: Record<string, unknown>;
  extra?: Record<string, unknown>;
};
export type FlowNode = Node<LayerNodeData, 'layer'>;
/** `shapeFrom`: the layer whose output the edge carries, when the canvas draws it from a collapsed block. */
export type FlowEdge = Edge<{ port?: string; extra?: Record<string, unknown>; shapeFrom?: string }, 'shape'>;

/** A graph snapshot for history and clipboard: plain project nodes/edges (positions included). */
export interface GraphSnapshot {
  nodes: ProjectNode[];
  edges: ProjectEdge[];
  /** The blocks at the time (history entries; the clipboard has none). */
  blocks?: ProjectBlock[];
}

export function toFlowNode(node: ProjectNode, selected = false): FlowNode {
  const { id, type, params, position, ...extra } = node;
  return {
    id,
    type: 'layer',
    position: position ? { x: position.x, y: position.y } : { x: 0, y: 0 },
    data: {
      layerType: type,
      params: { ...(params ?? {}) },
      extra: Object.keys(extra).length ? extra : undefined,
    },
    selected,
  };
}

export function toFlowEdge(edge: ProjectEdge, selected = false): FlowEdge {
  const { id, source, target, port, ...extra } = edge;
  return {
    id,
    source,
    target,
    // The handle the edge ends on: a named or ordered port, or the single input "in".
    targetHandle: port ?? SINGLE_PORT,
    sourceHandle: 'out',
    type: 'shape',
    data: { port, extra: Object.keys(extra).length ? extra : undefined },
    selected,
  };
}

const round = (v: number) => Math.round(v * 10) / 10;

export function toProjectNode(node: FlowNode): ProjectNode {
  return {
    ...(node.data.extra ?? {}),
    id: node.id,
    type: node.data.layerType,
    params: node.data.params as ProjectNode['params'],
    position: { x: round(node.position.x), y: round(node.position.y) },
  };
}

export function toProjectEdge(edge: FlowEdge): ProjectEdge {
  const out: ProjectEdge = {
    ...(edge.data?.extra ?? {}),
    id: edge.id,
    source: edge.source,
    target: edge.target,
  };
  if (edge.data?.port !== undefined) out.port = edge.data.port;
  return out;
}

/**
 * `convert`, remembered per object: editor nodes and edges are never changed in place (an edit makes
 * new ones), so the undo steps and inspections of a large graph share what an edit did not touch
 * instead of copying every node each time.
 */
function perObject<T extends object, R>(convert: (item: T) => R): (item: T) => R {
  const done = new WeakMap<T, R>();
  return (item) => {
    let out = done.get(item);
    if (out === undefined) done.set(item, (out = convert(item)));
    return out;
  };
}

const projectNodeOf = perObject(toProjectNode);
const projectEdgeOf = perObject(toProjectEdge);

/** Snapshot nodes and edges are shared between undo steps: never change them in place. */
export function snapshotOf(nodes: FlowNode[], edges: FlowEdge[]): GraphSnapshot {
  return { nodes: nodes.map(projectNodeOf), edges: edges.map(projectEdgeOf) };
}

const graphNodeOf = perObject((n: FlowNode): Graph['nodes'][number] => ({
  id: n.id,
  type: n.data.layerType,
  params: n.data.params as ProjectNode['params'],
  ...(n.data.extra?.trainable === false ? { trainable: false } : {}),
}));
const graphEdgeOf = perObject((e: FlowEdge): Graph['edges'][number] => ({
  id: e.id,
  source: e.source,
  target: e.target,
  ...(e.data?.port !== undefined ? { port: e.data.port } : {}),
}));

/** The graph for inspection (positions don't matter to it). */
export function graphOf(nodes: FlowNode[], edges: FlowEdge[]): Graph {
  return { nodes: nodes.map(graphNodeOf), edges: edges.map(graphEdgeOf) };
}

export function hasAllPositions(project: Project): boolean {
  return project.graph.nodes.every((n) => n.position !== undefined);
}

/** A fresh id like `dense3` that is not in use. */
export function freshId(prefix: string, taken: Set<string>): string {
  const base = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${base}${i}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}
