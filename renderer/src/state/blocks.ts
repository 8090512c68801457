// Blocks (docs/ARCHITECTURE.md, "Blocks"): named groups of nodes that the canvas can show as one
// node. Pure helpers over the editor's nodes, edges and inspection; the graph itself never changes.
import type { ProjectBlock } from '../../../engine/project/schema.ts';
import { nestBlocks } from '../../../engine/project/block-nesting.ts';
import type { NodeView } from './node-views.ts';

/** React Flow ids of the canvas-only nodes; ":" never appears in an id the editor makes. */
export const BLOCK_NODE_PREFIX = 'block:';
export const BLOCK_FRAME_PREFIX = 'frame:';
export const blockNodeId = (blockId: string) => BLOCK_NODE_PREFIX + blockId;
export const blockFrameId = (blockId: string) => BLOCK_FRAME_PREFIX + blockId;
export const isCanvasOnlyId = (id: string) =>
  id.startsWith(BLOCK_NODE_PREFIX) || id.startsWith(BLOCK_FRAME_PREFIX);

interface EdgeLike {
  source: string;
  target: string;
}

/** The member that takes the block's input and the one that gives its output, for connecting to a collapsed block. */
export function blockEnds(block: ProjectBlock, edges: readonly EdgeLike[]): { entry: string; exit: string } {
  const members = new Set(block.nodes);
  const fedInside = new Set<string>();
  const feedsInside = new Set<string>();
  for (const e of edges) {
    if (members.has(e.source) && members.has(e.target)) {
      fedInside.add(e.target);
      feedsInside.add(e.source);
    }
  }
  const entry = block.nodes.find((n) => !fedInside.has(n)) ?? block.nodes[0];
  const exit =
    [...block.nodes].reverse().find((n) => !feedsInside.has(n)) ?? block.nodes[block.nodes.length - 1];
  return { entry, exit };
}

/** What a collapsed block shows: the shapes entering and leaving it and the parameters inside. */
export interface BlockFacts {
  inShapes: string;
  outShapes: string;
  params: number;
  count: number;
  errors: number;
}

export function blockFacts(
  block: ProjectBlock,
  edges: readonly EdgeLike[],
  views: ReadonlyMap<string, NodeView>,
): BlockFacts {
  const members = new Set(block.nodes);
  const inShapes = new Set<string>();
  const leaving = new Set<string>();
  for (const e of edges) {
    const from = members.has(e.source);
    const to = members.has(e.target);
    if (to && !from) inShapes.add(views.get(e.source)?.shapeText ?? '—');
    if (from && !to) leaving.add(e.source);
  }
  if (!leaving.size) leaving.add(blockEnds(block, edges).exit);
  // An Input inside the block is where data enters it.
  for (const id of block.nodes) {
    const v = views.get(id);
    if (v && !edges.some((e) => e.target === id) && !inShapes.size) inShapes.add(v.shapeText);
  }
  let params = 0;
  let errors = 0;
  for (const id of block.nodes) {
    params += views.get(id)?.paramCount ?? 0;
    errors += views.get(id)?.errors.length ?? 0;
  }
  return {
    inShapes: [...inShapes].join(' ') || '—',
    outShapes: [...leaving].map((id) => views.get(id)?.shapeText ?? '—').join(' '),
    params,
    count: block.nodes.length,
    errors,
  };
}

/** What the canvas shows of nested blocks: each block's parent, where hidden nodes went, and which blocks are drawn. */
export interface BlockShowing {
  parent: ReadonlyMap<string, string | undefined>;
  /** Each node inside a collapsed block: the outermost such block, whose card stands for it. */
  hiddenIn: ReadonlyMap<string, string>;
  /** The blocks not inside a collapsed one (cards and frames), innermost first. */
  shown: ProjectBlock[];
}

export function blockShowing(blocks: readonly ProjectBlock[]): BlockShowing {
  const { parent: parents } = nestBlocks(blocks);
  const parent = new Map(blocks.map((b, i) => [b.id, parents[i]]));
  const byId = new Map(blocks.map((b) => [b.id, b]));
  const underCollapsed = (id: string | undefined): boolean => {
    for (let p = id; p !== undefined; p = parent.get(p)) if (byId.get(p)?.collapsed) return true;
    return false;
  };
  const shown = blocks
    .filter((b) => !underCollapsed(parent.get(b.id)))
    .sort((a, b) => a.nodes.length - b.nodes.length);
  const hiddenIn = new Map<string, string>();
  for (const b of shown) if (b.collapsed) for (const id of b.nodes) hiddenIn.set(id, b.id);
  return { parent, hiddenIn, shown };
}

/**
 * Blocks without the nodes that no longer exist; a block left empty is gone, and so is a block left
 * holding exactly what the block inside it holds.
 */
export function pruneBlocks(blocks: ProjectBlock[], nodeIds: ReadonlySet<string>): ProjectBlock[] {
  if (!blocks.length) return blocks;
  let changed = false;
  const out: ProjectBlock[] = [];
  for (const b of blocks) {
    const nodes = b.nodes.filter((id) => nodeIds.has(id));
    if (nodes.length === b.nodes.length) out.push(b);
    else {
      changed = true;
      if (nodes.length) out.push({ ...b, nodes });
    }
  }
  if (!changed) return blocks;
  const same = new Set(nestBlocks(out).problems.map((p) => p.block));
  return same.size ? out.filter((_, i) => !same.has(i)) : out;
}
