// A handle on the mounted React Flow instance, so toolbar buttons and shortcuts outside the
// <ReactFlow> tree can fit the view, find the viewport centre, or lay the graph out.
import type { ReactFlowInstance } from '@xyflow/react';
import type { FlowEdge, FlowNode } from '../state/graph-model.ts';
import { useEditor } from '../state/editor-store.ts';
import { layoutGraph } from './layout.ts';

let instance: ReactFlowInstance<FlowNode, FlowEdge> | null = null;

export function setCanvasInstance(i: ReactFlowInstance<FlowNode, FlowEdge> | null): void {
  instance = i;
}

/** Fit the selected nodes in view, or the whole graph when nothing is selected (or `whole`). */
export function fitView(whole = false): void {
  const selected = whole ? [] : useEditor.getState().nodes.filter((n) => n.selected);
  void instance?.fitView({
    nodes: selected.length ? selected.map((n) => ({ id: n.id })) : undefined,
    padding: 0.2,
    duration: 200,
    maxZoom: 1.2,
  });
}

export function zoomBy(factor: number): void {
  if (!instance) return;
  void instance.zoomTo(instance.getZoom() * factor, { duration: 120 });
}

/** Where a node added without a drop position goes: the centre of what the user sees. */
export function viewportCentre(): { x: number; y: number } {
  const el = document.querySelector('.react-flow');
  if (!instance || !el) return { x: 0, y: 0 };
  const r = el.getBoundingClientRect();
  return instance.screenToFlowPosition({ x: r.left + r.width / 2 - 90, y: r.top + r.height / 2 - 40 });
}

export async function autoLayout(): Promise<void> {
  const { nodes, edges, applyPositions } = useEditor.getState();
  if (!nodes.length) return;
  const positions = await layoutGraph(nodes, edges);
  applyPositions(positions, 'Auto layout');
  requestAnimationFrame(() => fitView(true));
}
