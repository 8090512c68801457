// What React Flow draws when the graph has blocks (docs/ARCHITECTURE.md, "Blocks"): a collapsed block
// is one node in place of its members, with the edges that cross it drawn to and from that node; an
// expanded block gets a frame behind its members. Without blocks the editor's arrays pass through
// untouched, so the 300-node editing path is unchanged.
import type { Node } from '@xyflow/react';
import type { ProjectBlock } from '../../../engine/project/schema.ts';
import { blockFrameId, blockNodeId } from '../state/blocks.ts';
import type { FlowEdge, FlowNode } from '../state/graph-model.ts';

export type BlockNodeData = { blockId: string; name: string };
export type BlockFlowNode = Node<BlockNodeData, 'block'>;
export type BlockFrameNode = Node<BlockNodeData, 'blockFrame'>;
export type CanvasNode = FlowNode | BlockFlowNode | BlockFrameNode;

/** A collapsed block's card; fixed, so React Flow never has to measure it. */
export const BLOCK_NODE_SIZE = { width: 216, height: 96 };
/** A layer card's size (styles.css .layer-node), for the frame around an expanded block. */
const LAYER_SIZE = { width: 184, height: 72 };
const FRAME_PAD = 14;
const FRAME_HEAD = 0;

export interface CanvasView {
  nodes: CanvasNode[];
  edges: FlowEdge[];
}

export function canvasView(
  nodes: FlowNode[],
  edges: FlowEdge[],
  blocks: ProjectBlock[],
  selectedBlock: string | null,
): CanvasView {
  if (!blocks.length) return { nodes, edges };
  const hiddenIn = new Map<string, string>();
  for (const b of blocks) if (b.collapsed) for (const id of b.nodes) hiddenIn.set(id, b.id);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const frames: BlockFrameNode[] = [];
  const cards: BlockFlowNode[] = [];
  for (const b of blocks) {
    const members = b.nodes.map((id) => byId.get(id)).filter((n): n is FlowNode => n !== undefined);
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
      continue;
    }
    const x0 = Math.min(...members.map((n) => n.position.x)) - FRAME_PAD;
    const y0 = Math.min(...members.map((n) => n.position.y)) - FRAME_PAD - FRAME_HEAD;
    const x1 =
      Math.max(...members.map((n) => n.position.x + (n.measured?.width ?? LAYER_SIZE.width))) + FRAME_PAD;
    const y1 =
      Math.max(...members.map((n) => n.position.y + (n.measured?.height ?? LAYER_SIZE.height))) + FRAME_PAD;
    frames.push({
      id: blockFrameId(b.id),
      type: 'blockFrame',
      position: { x: x0, y: y0 },
      data,
      width: x1 - x0,
      height: y1 - y0,
      zIndex: -1,
      selectable: false,
      draggable: false,
      connectable: false,
      focusable: false,
    });
  }
  const shown: CanvasNode[] = [...frames, ...nodes.filter((n) => !hiddenIn.has(n.id)), ...cards];
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
  return { nodes: shown, edges: shownEdges };
}
