// Automatic layout with elkjs (layered, top to bottom), sized from the measured nodes. Blocks
// (docs/ARCHITECTURE.md, "Blocks"): a collapsed block is laid out as its card, one node; an expanded
// block is an elk compound node holding its members and nested blocks, so they stay together.
import type { XYPosition } from '@xyflow/react';
import type { ProjectBlock } from '../../../engine/project/schema.ts';
import type { FlowEdge, FlowNode } from '../state/graph-model.ts';
import { blockFrameId, blockNodeId, blockShowing, BLOCK_NODE_PREFIX } from '../state/blocks.ts';
import { BLOCK_NODE_SIZE, FRAME_HEAD_WIDTH, FRAME_PAD } from './block-view.ts';
import { DEFAULT_NODE_SIZE, LAYERED_LAYOUT } from '../../../engine/graph/layout-options.ts';

// elkjs is large (~1.5 MB): load it on the first layout, not with the app.
let elk: Promise<{ layout: (graph: ElkGraph) => Promise<ElkGraph> }> | null = null;
type ElkGraph = import('elkjs').ElkNode;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default()));

export interface Layout {
  /** New positions of layer nodes (those inside a collapsed block move with its card). */
  nodes: Map<string, XYPosition>;
  /** New positions of collapsed blocks' cards. */
  blocks: Map<string, XYPosition>;
}

const OPTIONS = { ...LAYERED_LAYOUT, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' };
// The frame drawn around an expanded block (block-view.ts) is its members' extent plus FRAME_PAD,
// with its head to the right: the compound node's padding leaves exactly that room.
const COMPOUND_PADDING = `[top=${FRAME_PAD},left=${FRAME_PAD},bottom=${FRAME_PAD},right=${FRAME_PAD + FRAME_HEAD_WIDTH}]`;

function topLeft(nodes: readonly FlowNode[]): XYPosition {
  return {
    x: Math.min(...nodes.map((n) => n.position.x)),
    y: Math.min(...nodes.map((n) => n.position.y)),
  };
}

export async function layoutGraph(
  nodes: FlowNode[],
  edges: FlowEdge[],
  blocks: readonly ProjectBlock[] = [],
): Promise<Layout> {
  const { parent, hiddenIn, shown } = blockShowing(blocks);
  const root: ElkGraph = {
    id: 'root',
    layoutOptions: { ...OPTIONS, 'elk.edgeRouting': 'SPLINES' },
    children: [],
    edges: [],
  };
  const compounds = new Map<string, ElkGraph>();
  for (const b of shown) {
    if (!b.collapsed)
      compounds.set(b.id, {
        id: blockFrameId(b.id),
        layoutOptions: { ...OPTIONS, 'elk.padding': COMPOUND_PADDING },
        children: [],
      });
  }
  const holder = (blockId: string | undefined) => (blockId && compounds.get(blockId)) || root;
  // The innermost expanded block holding each node still on show (`shown` lists innermost first).
  const container = new Map<string, string>();
  for (const b of shown)
    if (!b.collapsed)
      for (const id of b.nodes) if (!hiddenIn.has(id) && !container.has(id)) container.set(id, b.id);
  for (const n of nodes) {
    if (hiddenIn.has(n.id)) continue;
    holder(container.get(n.id)).children!.push({
      id: n.id,
      width: n.measured?.width ?? DEFAULT_NODE_SIZE.width,
      height: n.measured?.height ?? DEFAULT_NODE_SIZE.height,
    });
  }
  for (const b of shown) {
    const box = b.collapsed ? { id: blockNodeId(b.id), ...BLOCK_NODE_SIZE } : compounds.get(b.id)!;
    holder(parent.get(b.id)).children!.push(box);
  }
  const at = (id: string) => {
    const b = hiddenIn.get(id);
    return b ? blockNodeId(b) : id;
  };
  for (const e of edges) {
    const [s, t] = [at(e.source), at(e.target)];
    if (s !== t) root.edges!.push({ id: e.id, sources: [s], targets: [t] });
  }

  const result = await (await loadElk()).layout(root);
  const placed = new Map<string, XYPosition>();
  const walk = (n: ElkGraph, x: number, y: number) => {
    for (const c of n.children ?? []) {
      const p = { x: x + (c.x ?? 0), y: y + (c.y ?? 0) };
      placed.set(c.id, p);
      walk(c, p.x, p.y);
    }
  };
  walk(result, 0, 0);

  const out: Layout = { nodes: new Map(), blocks: new Map() };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) if (!hiddenIn.has(n.id) && placed.has(n.id)) out.nodes.set(n.id, placed.get(n.id)!);
  // A card's hidden nodes, and the blocks nested in it, move with it, as when the card is dragged.
  for (const b of shown) {
    const to = b.collapsed ? placed.get(BLOCK_NODE_PREFIX + b.id) : undefined;
    if (!to) continue;
    const members = b.nodes.map((id) => byId.get(id)).filter((n): n is FlowNode => n !== undefined);
    if (!members.length) continue;
    const from = b.position ?? topLeft(members);
    const [dx, dy] = [to.x - from.x, to.y - from.y];
    out.blocks.set(b.id, to);
    for (const n of members) out.nodes.set(n.id, { x: n.position.x + dx, y: n.position.y + dy });
    const inside = new Set(b.nodes);
    for (const nested of blocks)
      if (nested.id !== b.id && nested.position && nested.nodes.every((id) => inside.has(id)))
        out.blocks.set(nested.id, { x: nested.position.x + dx, y: nested.position.y + dy });
  }
  return out;
}
