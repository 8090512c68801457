// A handle on the mounted React Flow instance, so toolbar buttons and shortcuts outside the
// <ReactFlow> tree can fit the view, find the viewport centre, or lay the graph out.
import type { ReactFlowInstance } from '@xyflow/react';
import type { FlowEdge } from '../state/graph-model.ts';
import type { CanvasNode } from './block-view.ts';
import { useEditor } from '../state/editor-store.ts';
import { layoutGraph } from './layout.ts';

let instance: ReactFlowInstance<CanvasNode, FlowEdge> | null = null;

export function setCanvasInstance(i: ReactFlowInstance<CanvasNode, FlowEdge> | null): void {
  instance = i;
}

/** Layouts and view animations under way; the canvas says data-view-settled="yes" when none is. */
let moving = 0;
function markSettled(): void {
  document.querySelector('.react-flow')?.setAttribute('data-view-settled', moving ? 'no' : 'yes');
}

/**
 * Track `work` (a layout, a fit) so tests and assistive tools can tell when the view has settled.
 * A view animation that another view change interrupts never resolves its promise, so an animation
 * counts as settled at the latest `animationMs` (plus a frame's margin) after it began.
 */
export function whileViewSettles<T>(work: Promise<T>, animationMs?: number): Promise<T | void> {
  moving++;
  markSettled();
  const bounded =
    animationMs === undefined
      ? work
      : Promise.race([work, new Promise<void>((resolve) => setTimeout(resolve, animationMs + 100))]);
  return bounded.finally(() => {
    moving--;
    markSettled();
  });
}

/** Fit the selected nodes in view, or the whole graph when nothing is selected (or `whole`). */
export function fitView(whole = false): Promise<unknown> {
  const selected = whole ? [] : useEditor.getState().nodes.filter((n) => n.selected);
  return whileViewSettles(
    instance?.fitView({
      nodes: selected.length ? selected.map((n) => ({ id: n.id })) : undefined,
      padding: 0.2,
      duration: 200,
      maxZoom: 1.2,
    }) ?? Promise.resolve(false),
    200,
  );
}

/** After the canvas changes size: refit the whole graph when part of it would be out of view. */
export function refitIfCut(): void {
  const el = document.querySelector('.react-flow');
  if (!instance || !el || moving) return;
  const nodes = instance.getNodes();
  if (!nodes.length) return;
  const box = instance.getNodesBounds(nodes);
  const topLeft = instance.flowToScreenPosition({ x: box.x, y: box.y });
  const bottomRight = instance.flowToScreenPosition({ x: box.x + box.width, y: box.y + box.height });
  const r = el.getBoundingClientRect();
  const cut = topLeft.x < r.left || topLeft.y < r.top || bottomRight.x > r.right || bottomRight.y > r.bottom;
  // No animation: a resize needs none.
  if (cut) void whileViewSettles(instance.fitView({ padding: 0.2, maxZoom: 1.2 }));
}

export function zoomBy(factor: number): void {
  if (!instance) return;
  void whileViewSettles(instance.zoomTo(instance.getZoom() * factor, { duration: 120 }), 120);
}

/** Where a node added without a drop position goes: the centre of what the user sees. */
export function viewportCentre(): { x: number; y: number } {
  const el = document.querySelector('.react-flow');
  if (!instance || !el) return { x: 0, y: 0 };
  const r = el.getBoundingClientRect();
  return instance.screenToFlowPosition({ x: r.left + r.width / 2 - 90, y: r.top + r.height / 2 - 40 });
}

export function autoLayout(): Promise<void> {
  return whileViewSettles(
    (async () => {
      const { nodes, edges, blocks, applyPositions } = useEditor.getState();
      if (!nodes.length) return;
      // The sizes React Flow measured are the canvas' own (canvas-nodes.ts), not the editor's.
      const sized = nodes.map((n) => ({ ...n, measured: instance?.getInternalNode(n.id)?.measured }));
      const layout = await layoutGraph(sized, edges, blocks);
      applyPositions(layout.nodes, 'Auto layout', layout.blocks);
      await new Promise<void>((resolve) =>
        requestAnimationFrame(() => void fitView(true).then(() => resolve())),
      );
    })(),
  );
}
