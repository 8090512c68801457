// Every layer kind, grouped by category, with search. Drag an entry onto the canvas (or press Enter
// on it) to add that layer.
import { useEffect, useMemo, useState, type DragEvent, type KeyboardEvent } from 'react';
import { allLayers } from '../../../engine/layers/registry.ts';
import { useEditor } from '../state/editor-store.ts';
import { viewportCentre } from '../canvas/canvas-handle.ts';
import { BLOCK_MIME, LAYER_MIME } from '../canvas/Canvas.tsx';
import { useUserBlocks } from '../state/user-blocks-store.ts';
import type { UserBlock } from '../../../engine/api.ts';
import { CATEGORY_ORDER, categoryClass } from './categories.ts';
import { PretrainedSection } from './PretrainedSection.tsx';

export function Palette() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const specs = allLayers().filter(
      (s) =>
        !q ||
        s.type.toLowerCase().includes(q) ||
        s.label.toLowerCase().includes(q) ||
        s.category.toLowerCase().includes(q) ||
        s.help.summary.toLowerCase().includes(q),
    );
    const cats = [
      ...CATEGORY_ORDER,
      ...new Set(specs.map((s) => s.category).filter((c) => !CATEGORY_ORDER.includes(c))),
    ];
    return cats
      .map((c) => ({ category: c, specs: specs.filter((s) => s.category === c) }))
      .filter((g) => g.specs.length);
  }, [query]);

  const userBlocks = useUserBlocks((s) => s.blocks);
  useEffect(() => {
    void useUserBlocks.getState().refresh();
  }, []);
  const myBlocks = useMemo(() => {
    const q = query.trim().toLowerCase();
    return userBlocks.filter((b) => !q || b.name.toLowerCase().includes(q));
  }, [query, userBlocks]);
  const addBlock = (block: UserBlock) => {
    useEditor.getState().insertBlock(block, viewportCentre());
    useEditor.getState().notify(`Added block "${block.name}".`);
  };
  const onBlockDragStart = (e: DragEvent, block: UserBlock) => {
    e.dataTransfer.setData(BLOCK_MIME, block.name);
    e.dataTransfer.setData('text/plain', block.name);
    e.dataTransfer.effectAllowed = 'move';
  };

  const add = (type: string) => {
    const id = useEditor.getState().addNode(type, viewportCentre());
    useEditor.getState().notify(`Added ${type} "${id}".`);
  };
  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(LAYER_MIME, type);
    e.dataTransfer.setData('text/plain', type);
    e.dataTransfer.effectAllowed = 'move';
  };
  const onKey = (e: KeyboardEvent, type: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      add(type);
    }
  };

  return (
    <nav className="palette" aria-label="Layer palette">
      <div className="palette__search">
        <input
          type="search"
          placeholder="Search layers…"
          aria-label="Search layers"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="palette-search"
        />
      </div>
      <div className="palette__groups">
        {myBlocks.length > 0 && (
          <section className="palette__group" aria-label="My blocks" data-testid="my-blocks">
            <h3 className="palette__title">My blocks</h3>
            {myBlocks.map((b) => (
              <div
                key={b.name}
                className="palette__item palette__item--block"
                data-testid={`my-block-${b.name}`}
                draggable
                role="button"
                tabIndex={0}
                aria-label={`Add block ${b.name}: ${b.nodes.length} layers`}
                title={`${b.nodes.length} layers: ${b.nodes.map((n) => n.type).join(' → ')}\nDrag onto the canvas, or press Enter.`}
                onDragStart={(e) => onBlockDragStart(e, b)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    addBlock(b);
                  }
                }}
                onDoubleClick={() => addBlock(b)}
              >
                <span className="palette__swatch" aria-hidden />
                {b.name}
              </div>
            ))}
          </section>
        )}
        {groups.map((g) => (
          <section key={g.category} className="palette__group" aria-label={g.category}>
            <h3 className="palette__title">{g.category}</h3>
            {g.specs.map((s) => (
              <div
                key={s.type}
                className={`palette__item ${categoryClass(s.category)}`}
                data-testid={`palette-${s.type}`}
                draggable
                role="button"
                tabIndex={0}
                aria-label={`Add ${s.label} layer: ${s.help.summary}`}
                title={`${s.help.summary}\nDrag onto the canvas, or press Enter.`}
                onDragStart={(e) => onDragStart(e, s.type)}
                onKeyDown={(e) => onKey(e, s.type)}
                onDoubleClick={() => add(s.type)}
              >
                <span className="palette__swatch" aria-hidden />
                {s.label}
              </div>
            ))}
          </section>
        ))}
        <PretrainedSection query={query} />
        {!groups.length && !myBlocks.length && (
          <p className="muted palette__empty">No layer matches “{query}”.</p>
        )}
      </div>
    </nav>
  );
}
