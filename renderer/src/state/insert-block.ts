// A pretrained block (docs/ARCHITECTURE.md, "Pretrained blocks") as nodes for this graph: ids kept
// where free, else suffixed; weighted layers frozen; and the startFrom entry that gives them the
// block's weights, with a `from` map for every node that had to take another id.
import type { XYPosition } from '@xyflow/react';
import type { PretrainedBlockInfo } from '../../../engine/api.ts';
import type { ProjectEdge, ProjectNode } from '../../../engine/project/schema.ts';

export interface StartFromEntry {
  source: string;
  nodes?: string[];
  from?: Record<string, string>;
}

export interface BlockInsert {
  nodes: ProjectNode[];
  edges: ProjectEdge[];
  startFrom: StartFromEntry;
}

function freeId(wanted: string, taken: Set<string>): string {
  let id = wanted;
  for (let i = 2; taken.has(id); i++) id = `${wanted}_${i}`;
  taken.add(id);
  return id;
}

/** `at`: where the block's first node goes; the rest keep their places relative to it. */
export function blockInsert(
  block: PretrainedBlockInfo,
  takenNodeIds: Iterable<string>,
  takenEdgeIds: Iterable<string>,
  at: XYPosition,
): BlockInsert {
  const taken = new Set(takenNodeIds);
  const edgeTaken = new Set(takenEdgeIds);
  const rename = new Map(block.graph.nodes.map((n) => [n.id, freeId(n.id, taken)]));
  const weighted = new Set(block.weighted);
  const origin = block.graph.nodes[0]?.position ?? { x: 0, y: 0 };
  const nodes = block.graph.nodes.map((n) => ({
    ...structuredClone(n),
    id: rename.get(n.id)!,
    ...(weighted.has(n.id) ? { trainable: false } : {}),
    position: {
      x: at.x + (n.position?.x ?? 0) - origin.x,
      y: at.y + (n.position?.y ?? 0) - origin.y,
    },
  }));
  const edges = block.graph.edges.map((e) => ({
    ...structuredClone(e),
    id: freeId(e.id, edgeTaken),
    source: rename.get(e.source)!,
    target: rename.get(e.target)!,
  }));
  const moved = block.weighted.filter((id) => rename.get(id) !== id);
  return {
    nodes,
    edges,
    startFrom: {
      source: `pretrained:${block.id}`,
      nodes: block.weighted.map((id) => rename.get(id)!),
      ...(moved.length ? { from: Object.fromEntries(moved.map((id) => [rename.get(id)!, id])) } : {}),
    },
  };
}
