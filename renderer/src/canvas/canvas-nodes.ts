// The layer nodes React Flow gets (docs/ARCHITECTURE.md, "Renderer"): each editor node without its
// parameters, which the canvas never reads (a node shows its inspection view), and with the size
// React Flow measured. A node whose canvas part did not change keeps its object, and an array whose
// nodes all kept theirs is the previous array, so a parameter edit that re-infers every shape leaves
// React Flow's store untouched: it would otherwise re-adopt all nodes and re-run every node's and
// edge's selectors.
import type { Node, NodeChange } from '@xyflow/react';
import type { FlowNode } from '../state/graph-model.ts';

export type CanvasLayerData = { layerType: string };
export type CanvasLayerNode = Node<CanvasLayerData, 'layer'>;
type Size = { width: number; height: number };

interface Shown {
  from: FlowNode;
  node: CanvasLayerNode;
  measured?: Size;
}

/** Every key of the editor's node but `data` holds the same value, and the layer type is the same. */
function sameOnCanvas(shown: CanvasLayerNode, node: FlowNode): boolean {
  if (shown.data.layerType !== node.data.layerType) return false;
  let keys = 0;
  for (const key in node) {
    if (key === 'data') continue;
    keys++;
    if (shown[key as keyof CanvasLayerNode] !== node[key as keyof FlowNode]) return false;
  }
  const own = Object.keys(shown).length - 1 - ('measured' in shown ? 1 : 0);
  return keys === own;
}

export interface CanvasLayers {
  /** The canvas nodes for the editor's nodes. */
  nodes(nodes: FlowNode[]): CanvasLayerNode[];
  /**
   * Keeps React Flow's measurements of layer nodes here and returns the other changes, for the
   * editor: a measurement is no edit, and sending it through the editor would make React Flow
   * re-adopt every node a second time for each node added.
   */
  measure(changes: NodeChange[]): NodeChange[];
}

/** The conversion for one canvas; it remembers what it returned last. */
export function canvasLayers(): CanvasLayers {
  let shown = new Map<string, Shown>();
  let last: CanvasLayerNode[] = [];
  return {
    nodes(nodes) {
      const next = new Map<string, Shown>();
      let changed = nodes.length !== last.length;
      const out = nodes.map((n, i) => {
        const before = shown.get(n.id);
        let node: CanvasLayerNode;
        if (before && (before.from === n || sameOnCanvas(before.node, n))) node = before.node;
        else {
          const { data, ...rest } = n;
          const keep = before?.node.data.layerType === data.layerType ? before.node.data : undefined;
          node = { ...rest, data: keep ?? { layerType: data.layerType } };
          if (before?.measured) node.measured = before.measured;
        }
        next.set(n.id, { from: n, node, measured: before?.measured });
        changed ||= node !== last[i];
        return node;
      });
      shown = next;
      if (changed) last = out;
      return last;
    },
    measure(changes) {
      return changes.filter((c) => {
        if (c.type !== 'dimensions' || !c.dimensions || c.setAttributes) return true;
        const entry = shown.get(c.id);
        if (!entry) return true;
        entry.measured = c.dimensions;
        return false;
      });
    },
  };
}
