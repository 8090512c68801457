// An edge labelled with the tensor shape that flows along it. The label is its own component: a
// shape change re-renders only the label text, not the edge path. Zoomed out below LABEL_MIN_ZOOM the
// labels would be a few pixels high: they are left out (the nodes still show their output shapes).
import { memo } from 'react';
import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  useStore,
  type EdgeProps,
  type ReactFlowState,
} from '@xyflow/react';
import { useEditor } from '../state/editor-store.ts';
import type { FlowEdge } from '../state/graph-model.ts';

export const LABEL_MIN_ZOOM = 0.5;
const labelsReadable = (s: ReactFlowState) => s.transform[2] >= LABEL_MIN_ZOOM;

interface LabelProps {
  id: string;
  source: string;
  x: number;
  y: number;
  selected: boolean;
  port: string | undefined;
}

const EdgeShapeLabel = memo(function EdgeShapeLabel({ id, source, x, y, selected, port }: LabelProps) {
  const shape = useEditor((s) => s.inspection.views.get(source)?.shapeText);
  if (!shape || shape === '—') return null;
  return (
    <EdgeLabelRenderer>
      {/* A zero-size anchor at the label point centres the label without a transform: hundreds of
          transformed labels each cost the browser a paint chunk to composite. */}
      <div className="edge-label-anchor" style={{ left: x, top: y }}>
        <div className={`edge-label ${selected ? 'is-selected' : ''}`} data-testid={`edge-shape-${id}`}>
          {port !== undefined && <span className="edge-label__port">{port}</span>}
          {shape}
        </div>
      </div>
    </EdgeLabelRenderer>
  );
});

function ShapeEdgeImpl(props: EdgeProps<FlowEdge>) {
  const {
    id,
    source,
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    selected,
    markerEnd,
    data,
  } = props;
  const showLabel = useStore(labelsReadable);
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'is-selected' : ''} />
      {showLabel && (
        <EdgeShapeLabel
          id={id}
          source={data?.shapeFrom ?? source}
          x={labelX}
          y={labelY}
          selected={!!selected}
          port={data?.port}
        />
      )}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeImpl);
