// "Group into block" for the selected nodes: a top-bar button that asks for the block's name
// (docs/ARCHITECTURE.md, "Canvas view"). It lives in the top bar so it never covers the canvas.
import { useState, type FormEvent } from 'react';
import { useEditor } from '../state/editor-store.ts';

export function GroupBar() {
  const picked = useEditor((s) => s.nodes.reduce((k, n) => (n.selected ? k + 1 : k), 0));
  // A selected collapsed block joins the group with all its nodes (it alone is a block already).
  const inCard = useEditor((s) => s.blocks.find((b) => b.id === s.selectedBlock)?.nodes.length ?? 0);
  const count = picked ? picked + inCard : 0;
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
    <div className="group-bar" role="toolbar" aria-label="Selection">
      <button
        className="btn btn--ghost"
        onClick={() => setNaming(!naming)}
        aria-expanded={naming}
        aria-label={`Group ${count} node${count === 1 ? '' : 's'} into a block`}
        title={`Group ${count} node${count === 1 ? '' : 's'} into one named block`}
        data-testid="group-block-button"
      >
        Group…
      </button>
      {naming && (
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
      )}
    </div>
  );
}
