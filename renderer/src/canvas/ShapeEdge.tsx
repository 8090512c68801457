// An edge labelled with the tensor shape that flows along it. The label is its own component: a
// shape change re-renders only the label text, not the edge path.
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { useEditor } from '../state/editor-store.ts';
import type { FlowEdge } from '../state/graph-model.ts';

interface LabelProps {
  id: string;
  source: string;
  x: number;
  y: number;
  selected: boolean;
  port: number | undefined;
}

const EdgeShapeLabel = memo(function EdgeShapeLabel({ id, source, x, y, selected, port }: LabelProps) {
  const shape = useEditor((s) => s.inspection.views.get(source)?.shapeText);
  if (!shape || shape === '—') return null;
  return (
    <EdgeLabelRenderer>
      <div
        className={`edge-label ${selected ? 'is-selected' : ''}`}
        style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
        data-testid={`edge-shape-${id}`}
      >
        {port !== undefined && <span className="edge-label__port">#{port}</span>}
        {shape}
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
      <EdgeShapeLabel
        id={id}
        source={source}
        x={labelX}
        y={labelY}
        selected={!!selected}
        port={data?.targetPort}
      />
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeImpl);
