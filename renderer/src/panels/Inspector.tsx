// Properties of the selected node: a form generated from the layer's ParamDefs, its problems, and
// help that explains what the layer computes (the equation) and when to use it.
import { getLayer } from '../../../engine/layers/registry.ts';
import { useEditor } from '../state/editor-store.ts';
import { ParamField } from './ParamField.tsx';
import { formatCount } from '../format-count.ts';

export function Inspector() {
  const selected = useEditor((s) => {
    const sel = s.nodes.filter((n) => n.selected);
    return sel.length === 1 ? sel[0] : sel.length;
  });
  const view = useEditor((s) =>
    typeof selected === 'object' ? s.inspection.views.get(selected.id) : undefined,
  );
  const setParam = useEditor((s) => s.setParam);
  const setTrainable = useEditor((s) => s.setTrainable);

  if (typeof selected !== 'object') {
    return (
      <aside className="inspector" data-testid="inspector" aria-label="Inspector">
        <div className="inspector__empty">
          {selected > 1 ? (
            <p>
              {selected} nodes selected. Ctrl+C / Ctrl+V copy and paste them, Ctrl+D duplicates, Delete
              removes, and “Group…” (top bar) makes them one named block.
            </p>
          ) : (
            <>
              <h2>Nothing selected</h2>
              <p className="muted">Select a node to edit its parameters and read what it computes.</p>
            </>
          )}
        </div>
      </aside>
    );
  }
  const node = selected;
  const spec = getLayer(node.data.layerType);
  return (
    <aside className="inspector" data-testid="inspector" aria-label={`Inspector for ${node.id}`}>
      <header className="inspector__head">
        <h2>{spec?.label ?? node.data.layerType}</h2>
        <code className="inspector__id">{node.id}</code>
      </header>
      <dl className="inspector__facts">
        <dt>Output</dt>
        <dd data-testid="inspector-shape">{view?.shapeText ?? '—'}</dd>
        <dt>Parameters</dt>
        <dd>{formatCount(view?.paramCount ?? 0)}</dd>
      </dl>
      {view && view.paramCount > 0 && (
        <label className="inspector__trainable">
          <input
            type="checkbox"
            data-testid="trainable-toggle"
            checked={!view.frozen}
            onChange={(e) => setTrainable(node.id, e.target.checked)}
          />{' '}
          Trainable{' '}
          {view.frozen && <span className="muted">(frozen: training leaves these weights as they are)</span>}
        </label>
      )}
      {view && view.errors.length > 0 && (
        <ul className="inspector__problems" aria-label="Problems">
          {view.errors.map((m) => (
            <li key={m} className="is-error">
              {m}
            </li>
          ))}
        </ul>
      )}
      {view && view.warnings.length > 0 && (
        <ul className="inspector__problems" aria-label="Warnings">
          {view.warnings.map((m) => (
            <li key={m} className="is-warning">
              {m}
            </li>
          ))}
        </ul>
      )}
      {!spec && <p className="param__error">Unknown layer type; it can't be edited or trained.</p>}
      <form className="inspector__form" onSubmit={(e) => e.preventDefault()} aria-label="Parameters">
        {spec?.params.map((def) => (
          <ParamField
            key={`${node.id}:${def.name}`}
            def={def}
            value={def.name in node.data.params ? node.data.params[def.name] : def.default}
            onChange={(v) => setParam(node.id, def.name, v)}
          />
        ))}
        {spec && !spec.params.length && <p className="muted">This layer has no parameters.</p>}
      </form>
      {spec && (
        <section className="inspector__help" aria-label="Help">
          <h3>What it computes</h3>
          <p>{spec.help.summary}</p>
          <pre className="equation" aria-label="Equation">
            {spec.help.equation}
          </pre>
          <h3>When to use it</h3>
          <p>{spec.help.whenToUse}</p>
        </section>
      )}
    </aside>
  );
}
