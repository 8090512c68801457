// Positions for an imported graph: elk's layered layout, top to bottom, with the editor's node size
// and spacing, so an import opens readable without a re-layout.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Graph } from '../project/schema.ts';
import { DEFAULT_NODE_SIZE, LAYERED_LAYOUT } from '../graph/layout-options.ts';

export async function layoutGraph(graph: Graph): Promise<Graph> {
  const result = await new ELK().layout({
    id: 'root',
    layoutOptions: { ...LAYERED_LAYOUT },
    children: graph.nodes.map((n) => ({ id: n.id, ...DEFAULT_NODE_SIZE })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const at = new Map(
    (result.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]),
  );
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: at.get(n.id) ?? { x: 0, y: 0 } })) };
}
