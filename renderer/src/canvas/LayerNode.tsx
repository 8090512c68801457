// One layer on the canvas: type, key params, output shape, parameter count, and a red badge with
// the diagnostic when the node is invalid.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { getLayer } from '../../../engine/layers/registry.ts';
import { useEditor } from '../state/editor-store.ts';
import type { FlowNode } from '../state/graph-model.ts';
import { categoryClass } from '../panels/categories.ts';

// Not toLocaleString: it is slow enough to show up when 300 nodes re-render.
export const formatCount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function LayerNodeImpl({ id, data, selected }: NodeProps<FlowNode>) {
  const view = useEditor((s) => s.inspection.views.get(id));
  const spec = getLayer(data.layerType);
  const takesInput = !spec || spec.arity.max > 0;
  const givesOutput = !spec || spec.producesOutput;
  const error = view?.errors[0];
  const warning = !error ? view?.warnings[0] : undefined;
  return (
    <div
      className={`layer-node ${categoryClass(spec?.category)} ${selected ? 'is-selected' : ''} ${error ? 'has-error' : ''}`}
      data-testid={`node-${id}`}
      aria-label={`${spec?.label ?? data.layerType} ${id}${error ? `, error: ${error}` : ''}`}
    >
      {takesInput && <Handle type="target" position={Position.Top} id="in" aria-label={`input of ${id}`} />}
      <div className="layer-node__head">
        <span className="layer-node__type">{spec?.label ?? data.layerType}</span>
        <span className="layer-node__id">{id}</span>
      </div>
      {view?.summary && <div className="layer-node__summary">{view.summary}</div>}
      <div className="layer-node__foot">
        <span className="layer-node__shape" data-testid={`node-shape-${id}`} title="Output shape (? is the batch)">
          {view?.shapeText ?? '—'}
        </span>
        {view && view.paramCount > 0 && (
          <span className="layer-node__params" title="Parameters">
            {formatCount(view.paramCount)} p
          </span>
        )}
      </div>
      {error && (
        <div className="layer-node__badge is-error" data-testid={`node-error-${id}`} role="alert" title={error}>
          <span aria-hidden>!</span> {error}
        </div>
      )}
      {warning && (
        <div className="layer-node__badge is-warning" title={warning}>
          <span aria-hidden>⚠</span> {warning}
        </div>
      )}
      {givesOutput && <Handle type="source" position={Position.Bottom} id="out" aria-label={`output of ${id}`} />}
    </div>
  );
}

export const LayerNode = memo(LayerNodeImpl);
