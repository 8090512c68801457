// "Group into block" for the selected nodes: a small bar that asks for the block's name
// (docs/ARCHITECTURE.md, "Blocks"). It sits left of the selection's bounding box, across from the
// graph's top-to-bottom flow, so it covers neither the selection nor the nodes above and below it.
import { useState, type FormEvent } from 'react';
import { NodeToolbar, Position } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../state/editor-store.ts';
import { blockNodeId } from '../state/blocks.ts';

export function GroupBar() {
  const picked = useEditor((s) => s.nodes.reduce((k, n) => (n.selected ? k + 1 : k), 0));
  // A selected collapsed block joins the group with all its nodes (it alone is a block already).
  const inCard = useEditor((s) => s.blocks.find((b) => b.id === s.selectedBlock)?.nodes.length ?? 0);
  const count = picked ? picked + inCard : 0;
  const ids = useShallow((s: ReturnType<typeof useEditor.getState>) => [
    ...s.nodes.filter((n) => n.selected).map((n) => n.id),
    ...(s.selectedBlock ? [blockNodeId(s.selectedBlock)] : []),
  ]);
  const anchor = useEditor(ids);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  if (count === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = useEditor.getState().groupSelection(name);
    if (problem) useEditor.getState().notify(problem, 'error');
    else {
      setNaming(false);
      setName('');
    }
  };
  return (
    <NodeToolbar nodeId={anchor} isVisible position={Position.Left} align="start" offset={12}>
      <div className="group-bar" role="toolbar" aria-label="Selection">
        {naming ? (
          <form onSubmit={submit} className="group-bar__form">
            <label>
              Block name{' '}
              <input
                autoFocus
                value={name}
                onChange={(e) => setName(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && setNaming(false)}
                maxLength={200}
                data-testid="block-name-input"
              />
            </label>
            <button
              className="btn btn--primary"
              type="submit"
              data-testid="block-name-ok"
              disabled={!name.trim()}
            >
              Group
            </button>
            <button className="btn btn--ghost" type="button" onClick={() => setNaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <button className="btn" onClick={() => setNaming(true)} data-testid="group-block-button">
            Group {count} node{count === 1 ? '' : 's'} into a block…
          </button>
        )}
      </div>
    </NodeToolbar>
  );
}
