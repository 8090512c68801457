// One layer on the canvas: type, key params, output shape, parameter count, and the diagnostic when
// the node is invalid. Every node has the same fixed height (the error takes the place of the summary
// and shape rows, two lines, the full text on hover and in the inspector), so an error never grows a
// node over its neighbour and React Flow never has to re-measure a node whose shape changed.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { getLayer } from '../../../engine/layers/registry.ts';
import { InputHandles } from './InputHandles.tsx';
import { useEditor } from '../state/editor-store.ts';
import type { CanvasLayerNode } from './canvas-nodes.ts';
import type { NodeView } from '../state/node-views.ts';
import { categoryClass } from '../panels/categories.ts';
import { formatParams } from '../format-count.ts';
import { LockIcon } from '../icons.tsx';

/** Summary and shape rows, or the error in their place: the only part that re-renders when shapes change. */
const NodeFacts = memo(function NodeFacts({ id }: { id: string }) {
  const view = useEditor((s) => s.inspection.views.get(id));
  const error = view?.errors[0];
  if (error) {
    return (
      <div className="layer-node__error" data-testid={`node-error-${id}`} role="alert" title={error}>
        <span className="layer-node__error-mark" aria-hidden>
          !
        </span>
        <span className="layer-node__error-text">{error}</span>
      </div>
    );
  }
  const warning = view?.warnings[0];
  return (
    <>
      <div className="layer-node__summary">{view?.summary || '\u00a0'}</div>
      <div className="layer-node__foot">
        <span
          className="layer-node__shape"
          data-testid={`node-shape-${id}`}
          title="Output shape (? is the batch)"
        >
          {view?.shapeText ?? '—'}
        </span>
        {warning && (
          <span
            className="layer-node__warning"
            title={warning}
            aria-label={`warning: ${warning}`}
            data-testid={`node-warning-${id}`}
          >
            ⚠
          </span>
        )}
        {view?.frozen && (
          <span
            className="layer-node__lock"
            title="Frozen: training leaves these weights as they are"
            aria-label="frozen"
            data-testid={`node-lock-${id}`}
          >
            <LockIcon />
          </span>
        )}
        {view && view.paramCount > 0 && (
          <span
            className="layer-node__params"
            title={`${view.paramCount} trainable and non-trainable parameters`}
          >
            {formatParams(view.paramCount)}
          </span>
        )}
      </div>
    </>
  );
});

const firstError = (view: NodeView | undefined) => view?.errors[0];

function LayerNodeImpl({ id, data, selected }: NodeProps<CanvasLayerNode>) {
  const error = useEditor((s) => firstError(s.inspection.views.get(id)));
  const spec = getLayer(data.layerType);
  const takesInput = !spec || spec.arity.max > 0;
  const givesOutput = !spec || spec.producesOutput;
  const label = spec?.label ?? data.layerType;
  return (
    <div
      className={`layer-node ${categoryClass(spec?.category)} ${selected ? 'is-selected' : ''} ${error ? 'has-error' : ''}`}
      data-testid={`node-${id}`}
      aria-label={`${label} ${id}${error ? `, error: ${error}` : ''}`}
    >
      {takesInput && <InputHandles id={id} spec={spec} />}
      <div className="layer-node__head">
        <span className="layer-node__type">{label}</span>
        <span className="layer-node__id">{id}</span>
      </div>
      <NodeFacts id={id} />
      {givesOutput && (
        <Handle type="source" position={Position.Bottom} id="out" aria-label={`output of ${id}`} />
      )}
    </div>
  );
}

export const LayerNode = memo(LayerNodeImpl);
