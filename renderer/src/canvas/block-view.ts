// What React Flow draws when the graph has blocks (docs/ARCHITECTURE.md, "Blocks"): a collapsed block
// is one node in place of its members, with the edges that cross it drawn to and from that node; an
// expanded block gets a frame behind its members and the blocks nested in it. Without blocks the
// layer nodes (canvas-nodes.ts) and the editor's edges pass through untouched, so the 300-node editing path is unchanged.
import type { Node } from '@xyflow/react';
import type { ProjectBlock } from '../../../engine/project/schema.ts';
import { blockFrameId, blockNodeId, blockShowing } from '../state/blocks.ts';
import type { FlowEdge } from '../state/graph-model.ts';
import type { CanvasLayerNode } from './canvas-nodes.ts';

export type BlockNodeData = { blockId: string; name: string };
export type BlockFlowNode = Node<BlockNodeData, 'block'>;
export type BlockFrameNode = Node<BlockNodeData, 'blockFrame'>;
export type CanvasNode = CanvasLayerNode | BlockFlowNode | BlockFrameNode;

/** A collapsed block's card; fixed, so React Flow never has to measure it. */
export const BLOCK_NODE_SIZE = { width: 216, height: 96 };
/** A layer card's size (styles.css .layer-node), for the frame around an expanded block. */
const LAYER_SIZE = { width: 184, height: 72 };
/** Space between a frame and what it holds; its head (name, Collapse, Ungroup) sits right of it. */
export const FRAME_PAD = 14;
export const FRAME_HEAD_WIDTH = 96;

export interface CanvasView {
  nodes: CanvasNode[];
  edges: FlowEdge[];
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const union = (a: Rect | null, b: Rect): Rect =>
  a
    ? {
        x0: Math.min(a.x0, b.x0),
        y0: Math.min(a.y0, b.y0),
        x1: Math.max(a.x1, b.x1),
        y1: Math.max(a.y1, b.y1),
      }
    : b;

export function canvasView(
  nodes: CanvasLayerNode[],
  edges: FlowEdge[],
  blocks: ProjectBlock[],
  selectedBlock: string | null,
): CanvasView {
  if (!blocks.length) return { nodes, edges };
  const { parent, hiddenIn, shown } = blockShowing(blocks);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const frames: BlockFrameNode[] = [];
  const cards: BlockFlowNode[] = [];
  // Innermost first, so a frame encloses the cards and frames (with their heads) of the blocks in it.
  const extent = new Map<string, Rect>();
  for (const b of shown) {
    const members = b.nodes.map((id) => byId.get(id)).filter((n): n is CanvasLayerNode => n !== undefined);
    if (!members.length) continue;
    const data = { blockId: b.id, name: b.name };
    if (b.collapsed) {
      const position = b.position ?? {
        x: Math.min(...members.map((n) => n.position.x)),
        y: Math.min(...members.map((n) => n.position.y)),
      };
      cards.push({
        id: blockNodeId(b.id),
        type: 'block',
        position,
        data,
        selected: selectedBlock === b.id,
        ...BLOCK_NODE_SIZE,
      });
      extent.set(b.id, {
        x0: position.x,
        y0: position.y,
        x1: position.x + BLOCK_NODE_SIZE.width,
        y1: position.y + BLOCK_NODE_SIZE.height,
      });
      continue;
    }
    let box: Rect | null = null;
    for (const n of members) {
      if (hiddenIn.has(n.id)) continue;
      const { x, y } = n.position;
      box = union(box, {
        x0: x,
        y0: y,
        x1: x + (n.measured?.width ?? LAYER_SIZE.width),
        y1: y + (n.measured?.height ?? LAYER_SIZE.height),
      });
    }
    for (const inner of shown)
      if (parent.get(inner.id) === b.id && extent.has(inner.id)) box = union(box, extent.get(inner.id)!);
    if (!box) continue;
    const frame = {
      x0: box.x0 - FRAME_PAD,
      y0: box.y0 - FRAME_PAD,
      x1: box.x1 + FRAME_PAD,
      y1: box.y1 + FRAME_PAD,
    };
    extent.set(b.id, { ...frame, x1: frame.x1 + FRAME_HEAD_WIDTH });
    frames.push({
      id: blockFrameId(b.id),
      type: 'blockFrame',
      position: { x: frame.x0, y: frame.y0 },
      data,
      width: frame.x1 - frame.x0,
      height: frame.y1 - frame.y0,
      zIndex: -1,
      selectable: false,
      draggable: false,
      connectable: false,
      focusable: false,
    });
  }
  // Outer frames first: React Flow draws later nodes of the same zIndex on top.
  frames.reverse();
  const visible: CanvasNode[] = [...frames, ...nodes.filter((n) => !hiddenIn.has(n.id)), ...cards];
  const shownEdges: FlowEdge[] = [];
  for (const e of edges) {
    const from = hiddenIn.get(e.source);
    const to = hiddenIn.get(e.target);
    if (!from && !to) shownEdges.push(e);
    else if (from !== to)
      shownEdges.push({
        ...e,
        source: from ? blockNodeId(from) : e.source,
        target: to ? blockNodeId(to) : e.target,
        data: { ...e.data, shapeFrom: e.source },
      });
  }
  return { nodes: visible, edges: shownEdges };
}
