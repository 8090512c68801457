// While the user drags a new connection over a handle that would be refused, say why at the cursor.
import { useConnection, ViewportPortal } from '@xyflow/react';
import { useMemo } from 'react';
import { useEditor } from '../state/editor-store.ts';
import { graphOf } from '../state/graph-model.ts';
import { connectionProblem } from '../state/connection-rules.ts';

export function ConnectionHint() {
  const c = useConnection();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const shapes = useEditor((s) => s.inspection.outputShapes);
  const fromId = c.inProgress ? c.fromNode.id : null;
  const fromType = c.inProgress ? c.fromHandle.type : null;
  const toId = c.inProgress ? (c.toNode?.id ?? null) : null;
  const handle = c.inProgress ? (fromType === 'source' ? c.toHandle?.id : c.fromHandle.id) : null;
  const problem = useMemo(() => {
    if (!fromId || !toId) return null;
    const [source, target] = fromType === 'source' ? [fromId, toId] : [toId, fromId];
    return connectionProblem(graphOf(nodes, edges), source, target, handle, shapes);
  }, [fromId, toId, fromType, handle, nodes, edges, shapes]);
  if (!c.inProgress || !problem) return null;
  return (
    <ViewportPortal>
      <div
        className="connection-hint"
        role="tooltip"
        data-testid="connection-hint"
        style={{ transform: `translate(${c.to.x + 14}px, ${c.to.y + 14}px)` }}
      >
        {problem}
      </div>
    </ViewportPortal>
  );
}
