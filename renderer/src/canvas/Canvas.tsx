// The graph canvas: React Flow bound to the editor store, palette drops, connection rules.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type ReactFlowState,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import { useEditor } from '../state/editor-store.ts';
import { graphOf, type FlowEdge, type FlowNode } from '../state/graph-model.ts';
import { connectionProblem } from '../state/connection-rules.ts';
import { LayerNode } from './LayerNode.tsx';
import { ShapeEdge } from './ShapeEdge.tsx';
import { ConnectionHint } from './ConnectionHint.tsx';
import { refitIfCut, setCanvasInstance } from './canvas-handle.ts';
import { useSession } from '../state/session-store.ts';
import { openDroppedFile } from '../project/project-actions.ts';
import { getLayer } from '../../../engine/layers/registry.ts';
import { categoryClass } from '../panels/categories.ts';
import { BlockFrame, BlockNode } from './BlockNode.tsx';
import { canvasView, type CanvasNode } from './block-view.ts';
import { canvasLayers } from './canvas-nodes.ts';
import { useUserBlocks } from '../state/user-blocks-store.ts';

export const LAYER_MIME = 'application/x-netwright-layer';
/** A saved block dragged from the palette's "My blocks" (its name). */
export const BLOCK_MIME = 'application/x-netwright-block';
const nodeTypes = { layer: LayerNode, block: BlockNode, blockFrame: BlockFrame };
const minimapClass = (n: CanvasNode) =>
  n.type === 'layer' ? categoryClass(getLayer(n.data.layerType)?.category) : 'is-block';
const edgeTypes = { shape: ShapeEdge };
// Everything handed to <ReactFlow> keeps its identity across renders: React Flow copies each changed
// prop into its store, and every store update runs the selectors of all 300 nodes and edges.
const beginMove = () => useEditor.getState().beginMove();
const endMove = () => useEditor.getState().endMove();
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2 };
const DEFAULT_EDGE_OPTIONS = { type: 'shape' };
const PRO_OPTIONS = { hideAttribution: true };
// Shift-click adds to the selection as in most editors; Shift-drag on the pane draws a selection box.
const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift'];
const MINIMAP_STYLE = { width: 168, height: 112 };
/** Below this zoom a node's secondary text (key params, id, parameter count) is a few pixels high:
    it is left out, which also keeps re-rendering a whole zoomed-out graph cheap. */
const DETAIL_MIN_ZOOM = 0.4;
const zoomedOut = (s: ReactFlowState) => s.transform[2] < DETAIL_MIN_ZOOM;

/** A connection end on a collapsed block stands for its first or last layer (its first free port). */
const ends = (
  source: string,
  target: string,
  handle: string | null | undefined,
): [string, string, string | null | undefined] => {
  const s = useEditor.getState();
  const to = s.connectionEnd(target, 'target');
  return [s.connectionEnd(source, 'source'), to, to === target ? handle : null];
};

const isValidConnection: IsValidConnection<FlowEdge> = (c) => {
  const s = useEditor.getState();
  const [source, target, handle] = ends(c.source, c.target, c.targetHandle);
  return (
    connectionProblem(graphOf(s.nodes, s.edges), source, target, handle, s.inspection.outputShapes) === null
  );
};

const onConnect = (c: Connection) => {
  useEditor.getState().connect(...ends(c.source, c.target, c.targetHandle));
};

const onConnectEnd = (_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
  if (state.isValid !== false || !state.fromNode || !state.toNode) return;
  const fromTarget = state.fromHandle?.type === 'target';
  const [source, target] = fromTarget
    ? [state.toNode.id, state.fromNode.id]
    : [state.fromNode.id, state.toNode.id];
  const handle = fromTarget ? state.fromHandle?.id : state.toHandle?.id;
  const s = useEditor.getState();
  const [from, to, port] = ends(source, target, handle);
  const problem = connectionProblem(graphOf(s.nodes, s.edges), from, to, port, s.inspection.outputShapes);
  if (problem) s.notify(`Connection refused: ${problem}`, 'error');
};

const onDragOver = (e: DragEvent) => {
  e.preventDefault();
  const t = e.dataTransfer.types;
  e.dataTransfer.dropEffect = t.includes(LAYER_MIME) || t.includes(BLOCK_MIME) ? 'move' : 'copy';
};

export function Canvas() {
  const layerNodes = useEditor((s) => s.nodes);
  const layerEdges = useEditor((s) => s.edges);
  const blocks = useEditor((s) => s.blocks);
  const selectedBlock = useEditor((s) => s.selectedBlock);
  const [layers] = useState(canvasLayers);
  const shownLayers = useMemo(() => layers.nodes(layerNodes), [layers, layerNodes]);
  const { nodes, edges } = useMemo(
    () => canvasView(shownLayers, layerEdges, blocks, selectedBlock),
    [shownLayers, layerEdges, blocks, selectedBlock],
  );
  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const edits = layers.measure(changes);
      if (edits.length) useEditor.getState().onNodesChange(edits as NodeChange<FlowNode>[]);
    },
    [layers],
  );
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const theme = useSession((s) => s.theme);
  const flow = useReactFlow<CanvasNode, FlowEdge>();
  const far = useStore(zoomedOut);
  const box = useRef<HTMLDivElement>(null);
  // A smaller window must not leave part of the graph out of view (docs/ARCHITECTURE.md, "Canvas view").
  useEffect(() => {
    if (!box.current) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(refitIfCut);
    });
    observer.observe(box.current);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const layerType = e.dataTransfer.getData(LAYER_MIME);
      if (layerType) {
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        useEditor.getState().addNode(layerType, { x: p.x - 90, y: p.y - 30 });
        return;
      }
      const blockName = e.dataTransfer.getData(BLOCK_MIME);
      const saved = blockName && useUserBlocks.getState().blocks.find((b) => b.name === blockName);
      if (saved) {
        const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        useEditor.getState().insertBlock(saved, { x: p.x - 100, y: p.y - 40 });
        return;
      }
      const file = e.dataTransfer.files[0];
      if (file) {
        e.stopPropagation();
        void openDroppedFile(file);
      }
    },
    [flow],
  );

  return (
    <div
      ref={box}
      className={`canvas ${far ? 'is-zoomed-out' : ''}`}
      onDragOver={onDragOver}
      onDrop={onDrop}
      aria-label="Graph canvas"
    >
      <ReactFlow<CanvasNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStart={beginMove}
        onNodeDragStop={endMove}
        onSelectionDragStart={beginMove}
        onSelectionDragStop={endMove}
        onInit={setCanvasInstance}
        onlyRenderVisibleElements
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        colorMode={theme}
        minZoom={0.1}
        maxZoom={2.5}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        proOptions={PRO_OPTIONS}
      >
        <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
        <MiniMap
          pannable
          zoomable
          ariaLabel="Minimap"
          nodeStrokeWidth={2}
          nodeBorderRadius={6}
          nodeClassName={minimapClass}
          style={MINIMAP_STYLE}
        />
        <Controls showInteractive={false} aria-label="Zoom controls" />
        <ConnectionHint />
      </ReactFlow>
    </div>
  );
}
