// An edge labelled with the tensor shape that flows along it.
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { useEditor } from '../state/editor-store.ts';
import type { FlowEdge } from '../state/graph-model.ts';

function ShapeEdgeImpl(props: EdgeProps<FlowEdge>) {
  const { id, source, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd, data } = props;
  const shape = useEditor((s) => s.inspection.views.get(source)?.shapeText);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'is-selected' : ''} />
      {shape && shape !== '—' && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label ${selected ? 'is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-shape-${id}`}
          >
            {data?.targetPort !== undefined && <span className="edge-label__port">#{data.targetPort}</span>}
            {shape}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeImpl);
