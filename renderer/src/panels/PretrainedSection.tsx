// The palette's Pretrained section: feature extractors with weights that ship with the app
// (docs/ARCHITECTURE.md, "Pretrained blocks"). A click, Enter or double-click inserts the block with
// its layers frozen; each layer's Trainable switch in the inspector unfreezes it.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { PretrainedBlockInfo } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { fitView, viewportCentre } from '../canvas/canvas-handle.ts';
import { useEditor } from '../state/editor-store.ts';

export function PretrainedSection({ query }: { query: string }) {
  const [blocks, setBlocks] = useState<PretrainedBlockInfo[]>([]);
  useEffect(() => {
    let live = true;
    engine()
      .listPretrained()
      .then((b) => live && setBlocks(b))
      .catch((err) => useEditor.getState().notify(errorMessage(err), 'error'));
    return () => {
      live = false;
    };
  }, []);

  const q = query.trim().toLowerCase();
  const shown = blocks.filter(
    (b) =>
      !q ||
      'pretrained'.includes(q) ||
      b.label.toLowerCase().includes(q) ||
      b.description.toLowerCase().includes(q),
  );
  if (!shown.length) return null;

  const insert = (block: PretrainedBlockInfo) => {
    const ids = useEditor.getState().insertPretrained(block, viewportCentre());
    // The inserted nodes are selected; bring them all into view once React Flow has measured them.
    requestAnimationFrame(() => requestAnimationFrame(() => void fitView()));
    useEditor
      .getState()
      .notify(
        `Inserted ${block.label} (${ids.length} nodes, ${block.weighted.length} frozen layers with pretrained weights); add a Dense head with your class count.`,
      );
  };
  const onKey = (e: KeyboardEvent, block: PretrainedBlockInfo) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      insert(block);
    }
  };

  return (
    <section className="palette__group" aria-label="Pretrained" data-testid="pretrained-section">
      <h3 className="palette__title">Pretrained</h3>
      {shown.map((b) => (
        <div
          key={b.id}
          className="palette__item palette__item--block cat-pretrained"
          data-testid={`pretrained-block-${b.id}`}
          role="button"
          tabIndex={0}
          aria-label={`Insert the ${b.label} block: ${b.description}`}
          title={`${b.description}\nTrained on ${b.trainedOn}.\nClick or press Enter to insert it, frozen.`}
          onClick={() => insert(b)}
          onKeyDown={(e) => onKey(e, b)}
        >
          <span className="palette__swatch" aria-hidden />
          {b.label}
          <span className="palette__badge">{b.graph.nodes.length} layers</span>
        </div>
      ))}
    </section>
  );
}
