// Automatic layout with elkjs (layered, top to bottom), sized from the measured nodes.
import type { XYPosition } from '@xyflow/react';
import type { FlowEdge, FlowNode } from '../state/graph-model.ts';
import { DEFAULT_NODE_SIZE, LAYERED_LAYOUT } from '../../../engine/graph/layout-options.ts';

// elkjs is large (~1.5 MB): load it on the first layout, not with the app.
let elk: Promise<{ layout: (graph: ElkGraph) => Promise<ElkGraph> }> | null = null;
type ElkGraph = import('elkjs').ElkNode;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default()));

export async function layoutGraph(nodes: FlowNode[], edges: FlowEdge[]): Promise<Map<string, XYPosition>> {
  const result = await (
    await loadElk()
  ).layout({
    id: 'root',
    layoutOptions: { ...LAYERED_LAYOUT, 'elk.edgeRouting': 'SPLINES' },
    children: nodes.map((n) => ({
      id: n.id,
      width: n.measured?.width ?? DEFAULT_NODE_SIZE.width,
      height: n.measured?.height ?? DEFAULT_NODE_SIZE.height,
    })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
