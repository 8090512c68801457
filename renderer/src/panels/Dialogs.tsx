// Modal dialogs: template gallery, open, save as, keyboard shortcuts.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ExampleInfo } from '../../../engine/api.ts';
import type { Project } from '../../../engine/project/schema.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { isDirty, useEditor } from '../state/editor-store.ts';
import { useSession } from '../state/session-store.ts';
import {
  newBlankProject,
  newFromTemplate,
  normaliseProjectPath,
  openProjectPath,
  saveProjectAs,
} from '../project/project-actions.ts';
import { SHORTCUTS } from '../shortcuts.ts';

function Modal({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  const close = () => useSession.getState().setDialog(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input, button:not(.modal__close), [tabindex="0"]');
    first?.focus();
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={ref}
        className={`modal ${wide ? 'modal--wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}
      >
        <header className="modal__head">
          <h2>{title}</h2>
          <button className="btn btn--ghost modal__close" onClick={close} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="modal__body">{children}</div>
      </div>
    </div>
  );
}

/**
 * Replacing a project with unsaved changes asks first. `guard(what, open)` runs `open` at once on a
 * saved project; on a dirty one it shows `prompt` (inside the dialog) and runs `open` only when the
 * user chooses to discard. Keep editing is the focused, safe default.
 */
function useUnsavedGuard() {
  const dirty = useEditor(isDirty);
  const name = useEditor((s) => s.meta.name);
  const [pending, setPending] = useState<{ what: string; open: () => void } | null>(null);
  const guard = (what: string, open: () => void) => (dirty ? setPending({ what, open }) : open());
  const prompt = pending ? (
    <div
      className="confirm-strip"
      role="alertdialog"
      aria-label="Unsaved changes"
      data-testid="confirm-discard"
    >
      <p className="warning-text">
        &ldquo;{name}&rdquo; has unsaved changes. Discard them and open {pending.what}?
      </p>
      <div className="confirm-strip__actions">
        <button className="btn" autoFocus onClick={() => setPending(null)} data-testid="confirm-discard-keep">
          Keep editing
        </button>
        <button
          className="btn btn--danger"
          onClick={() => {
            setPending(null);
            pending.open();
          }}
          data-testid="confirm-discard-yes"
        >
          Discard changes and open
        </button>
      </div>
    </div>
  ) : dirty ? (
    <p className="warning-text">
      The open project has unsaved changes; you will be asked before they are replaced.
    </p>
  ) : null;
  return { guard, prompt };
}

function MiniGraph({ project }: { project: Project | undefined }) {
  if (!project) return <div className="mini-graph mini-graph--empty" />;
  const nodes = project.graph.nodes.map((n, i) => ({
    id: n.id,
    x: n.position?.x ?? 0,
    y: n.position?.y ?? i * 100,
  }));
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const [minX, maxX, minY, maxY] = [
    Math.min(...xs),
    Math.max(...xs) + 180,
    Math.min(...ys),
    Math.max(...ys) + 60,
  ];
  const at = new Map(nodes.map((n) => [n.id, n]));
  return (
    <svg
      className="mini-graph"
      viewBox={`${minX - 20} ${minY - 20} ${maxX - minX + 40} ${maxY - minY + 40}`}
      aria-hidden
      preserveAspectRatio="xMidYMid meet"
    >
      {project.graph.edges.map((e) => {
        const a = at.get(e.source);
        const b = at.get(e.target);
        return a && b ? <line key={e.id} x1={a.x + 90} y1={a.y + 50} x2={b.x + 90} y2={b.y + 10} /> : null;
      })}
      {nodes.map((n) => (
        <rect key={n.id} x={n.x} y={n.y} width={180} height={56} rx={10} />
      ))}
    </svg>
  );
}

function TemplateGallery() {
  const [examples, setExamples] = useState<ExampleInfo[] | null>(null);
  const [projects, setProjects] = useState<Record<string, Project>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    engine()
      .listExamples()
      .then((list) => {
        setExamples(list);
        list.forEach(
          (ex) =>
            void engine()
              .loadExample(ex.id)
              .then((p) => setProjects((all) => ({ ...all, [ex.id]: p })))
              .catch(() => undefined),
        );
      })
      .catch((err) => setError(errorMessage(err)));
  }, []);
  const { guard, prompt } = useUnsavedGuard();
  return (
    <Modal title="New project" wide>
      {prompt}
      {error && <p className="param__error">{error}</p>}
      {/* Plain buttons: role="listitem" on a button hid it as a button and left it without a name. */}
      <div className="gallery">
        <button
          className="gallery__card"
          onClick={() => guard('a blank project', newBlankProject)}
          data-testid="template-blank"
        >
          <div className="mini-graph mini-graph--empty">+</div>
          <strong>Blank</strong>
          <span className="muted">An empty canvas.</span>
        </button>
        {examples?.map((ex) => (
          <button
            key={ex.id}
            className="gallery__card"
            onClick={() => guard(`the template \u201c${ex.name}\u201d`, () => void newFromTemplate(ex.id))}
            data-testid={`template-${ex.id}`}
            title={ex.description}
          >
            <MiniGraph project={projects[ex.id]} />
            <strong>{ex.name}</strong>
            <span className="gallery__scenario">{ex.scenario}</span>
            <span className="muted">{ex.description}</span>
          </button>
        ))}
        {!examples && !error && <p className="muted">Loading templates…</p>}
      </div>
    </Modal>
  );
}

function OpenDialog() {
  const [files, setFiles] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const recent = useSession((s) => s.recent);
  useEffect(() => {
    engine()
      .listProjects()
      .then(setFiles)
      .catch((err) => setError(errorMessage(err)));
  }, []);
  const { guard, prompt } = useUnsavedGuard();
  const open = (f: string) => guard(f, () => void openProjectPath(f));
  return (
    <Modal title="Open project">
      {prompt}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) open(path.trim());
        }}
      >
        <input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="path/to/project.netwright.json"
          aria-label="Project path"
          data-testid="open-path"
          spellCheck={false}
        />
        <button className="btn btn--primary" type="submit" data-testid="open-submit">
          Open
        </button>
      </form>
      {recent.length > 0 && (
        <section>
          <h3>Recent</h3>
          <ul className="file-list" data-testid="recent-list">
            {recent.map((f) => (
              <li key={f}>
                <button className="file-list__item" onClick={() => open(f)} data-testid={`recent-file-${f}`}>
                  {f}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h3>In the workspace</h3>
        {error && <p className="muted">{error}</p>}
        {files && !files.length && <p className="muted">No project files in the workspace yet.</p>}
        <ul className="file-list" data-testid="project-list">
          {files?.map((f) => (
            <li key={f}>
              <button className="file-list__item" onClick={() => open(f)} data-testid={`open-file-${f}`}>
                {f}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <p className="muted">You can also drop a .netwright.json file onto the window.</p>
    </Modal>
  );
}

function SaveAsDialog() {
  const current = useEditor((s) => s.projectPath);
  const name = useEditor((s) => s.meta.name);
  const [path, setPath] = useState(
    current ??
      `${
        name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'untitled'
      }.netwright.json`,
  );
  return (
    <Modal title="Save project as">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void saveProjectAs(path);
        }}
      >
        <input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          aria-label="File name"
          data-testid="save-as-path"
          spellCheck={false}
        />
        <button className="btn btn--primary" type="submit" data-testid="save-as-submit">
          Save
        </button>
      </form>
      <p className="muted" data-testid="save-as-hint">
        Will save as {normaliseProjectPath(path || 'untitled')} (relative to the workspace folder).
      </p>
    </Modal>
  );
}

function HelpOverlay() {
  return (
    <Modal title="Keyboard shortcuts" wide>
      <table className="table shortcuts" data-testid="shortcut-help">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <th scope="row">
                {s.keys.split(' ').map((k, i) => (
                  <kbd key={i}>{k}</kbd>
                ))}
              </th>
              <td>{s.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Drag from a node's bottom handle to another node's top handle to connect them. Shift-drag on the
        canvas selects a box; Ctrl-click adds to the selection.
      </p>
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useSession((s) => s.dialog);
  switch (dialog) {
    case 'templates':
      return <TemplateGallery />;
    case 'open':
      return <OpenDialog />;
    case 'saveAs':
      return <SaveAsDialog />;
    case 'help':
      return <HelpOverlay />;
    default:
      return null;
  }
}
