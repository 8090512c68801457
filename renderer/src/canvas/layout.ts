// Automatic layout with elkjs (layered, top to bottom), sized from the measured nodes.
import type { XYPosition } from '@xyflow/react';
import type { FlowEdge, FlowNode } from '../state/graph-model.ts';

// elkjs is large (~1.5 MB): load it on the first layout, not with the app.
let elk: Promise<{ layout: (graph: ElkGraph) => Promise<ElkGraph> }> | null = null;
type ElkGraph = import('elkjs').ElkNode;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default()));

export async function layoutGraph(nodes: FlowNode[], edges: FlowEdge[]): Promise<Map<string, XYPosition>> {
  const result = await (
    await loadElk()
  ).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.edgeRouting': 'SPLINES',
    },
    children: nodes.map((n) => ({
      id: n.id,
      width: n.measured?.width ?? 190,
      height: n.measured?.height ?? 80,
    })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
