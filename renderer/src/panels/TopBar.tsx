// The title bar: project name with the dirty marker, file actions, undo/redo, layout, view, theme,
// help, and the compute backend the engine will train on.
import { isDirty, useEditor } from '../state/editor-store.ts';
import { useShallow } from 'zustand/react/shallow';
import { useSession } from '../state/session-store.ts';
import { requestOpen, requestSaveAs, saveProject } from '../project/project-actions.ts';
import { autoLayout, fitView } from '../canvas/canvas-handle.ts';
import { isMac } from '../shortcuts.ts';
import { ImportModelButton } from '../project/ImportModelButton.tsx';
import { GroupBar } from '../canvas/GroupBar.tsx';

const mod = isMac ? '⌘' : 'Ctrl+';

export function TopBar() {
  const name = useEditor((s) => s.meta.name);
  const path = useEditor((s) => s.projectPath);
  const dirty = useEditor(isDirty);
  const revision = useEditor((s) => s.revision);
  const kept = useSession((s) => dirty && s.autosavedRevision === revision);
  const dirtyLabel = kept ? 'Unsaved changes, kept for recovery' : dirty ? 'Unsaved changes' : 'Saved';
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const undoLabel = useEditor((s) => s.past[s.past.length - 1]?.label);
  const redoLabel = useEditor((s) => s.future[s.future.length - 1]?.label);
  const setMeta = useEditor((s) => s.setMeta);
  const { theme, backend, backendError, setDialog, toggleTheme } = useSession(
    useShallow((s) => ({
      theme: s.theme,
      backend: s.backend,
      backendError: s.backendError,
      setDialog: s.setDialog,
      toggleTheme: s.toggleTheme,
    })),
  );

  return (
    <header className="topbar" role="banner">
      <div className="topbar__brand" aria-hidden>
        <svg width="20" height="20" viewBox="0 0 20 20">
          <circle cx="4" cy="4" r="2.6" />
          <circle cx="4" cy="16" r="2.6" />
          <circle cx="16" cy="10" r="2.6" />
          <path d="M6 5 L14 9 M6 15 L14 11" strokeWidth="1.6" />
        </svg>
        Netwright
      </div>
      <div className="topbar__title">
        <input
          className="topbar__name"
          value={name}
          onChange={(e) => setMeta({ name: e.target.value })}
          aria-label="Project name"
          data-testid="project-name"
          size={Math.max(8, name.length + 1)}
        />
        <span
          className="topbar__dirty"
          data-testid="dirty-marker"
          aria-label={dirtyLabel}
          title={dirtyLabel}
          data-autosaved={kept ? 'yes' : 'no'}
        >
          {dirty ? '●' : ''}
        </span>
        <span className="topbar__path muted" data-testid="project-path">
          {path ?? 'not saved'}
        </span>
      </div>
      <nav className="topbar__actions" aria-label="Project and edit actions">
        <button
          className="btn btn--ghost"
          onClick={() => setDialog('templates')}
          aria-label={`New from template (${mod}N)`}
          title={`New from template (${mod}N)`}
          data-testid="new-button"
        >
          New
        </button>
        <button
          className="btn btn--ghost"
          onClick={() => void requestOpen()}
          aria-label={`Open (${mod}O)`}
          title={`Open (${mod}O)`}
          data-testid="open-button"
        >
          Open
        </button>
        <ImportModelButton />
        <button
          className="btn btn--ghost"
          onClick={() => void saveProject()}
          aria-label={`Save (${mod}S)`}
          title={`Save (${mod}S)`}
          data-testid="save-button"
        >
          Save
        </button>
        <button
          className="btn btn--ghost"
          onClick={() => void requestSaveAs()}
          aria-label="Save as"
          title={`Save as (${mod}Shift+S)`}
          data-testid="save-as-button"
        >
          Save as
        </button>
        <span className="topbar__sep" />
        <button
          className="btn btn--ghost btn--icon"
          data-testid="undo-button"
          onClick={() => useEditor.getState().undo()}
          disabled={!canUndo}
          aria-label={canUndo ? `Undo ${undoLabel}` : 'Undo'}
          title={`Undo${undoLabel ? ` ${undoLabel}` : ''} (${mod}Z)`}
        >
          ↶
        </button>
        <button
          className="btn btn--ghost btn--icon"
          data-testid="redo-button"
          onClick={() => useEditor.getState().redo()}
          disabled={!canRedo}
          aria-label={canRedo ? `Redo ${redoLabel}` : 'Redo'}
          title={`Redo${redoLabel ? ` ${redoLabel}` : ''} (${mod}Shift+Z)`}
        >
          ↷
        </button>
        <span className="topbar__sep" />
        <button
          className="btn btn--ghost"
          onClick={() => void autoLayout()}
          aria-label="Automatic layout (L)"
          title="Automatic layout (L)"
          data-testid="layout-button"
        >
          Layout
        </button>
        <button
          className="btn btn--ghost"
          onClick={() => void fitView(true)}
          aria-label="Fit view (F)"
          title="Fit the whole graph in view (F fits the selection)"
        >
          Fit
        </button>
        <GroupBar />
      </nav>
      <div className="topbar__right">
        <span
          className={`backend-badge ${backend?.label.startsWith('GPU') ? 'is-gpu' : ''}`}
          data-testid="backend-badge"
          title={backend?.reason ?? backendError ?? 'Asking the engine…'}
          aria-label={`Compute backend: ${backend?.label ?? 'unknown'}`}
        >
          {backend?.label ?? (backendError ? 'Backend unknown' : '…')}
        </span>
        <button
          className="btn btn--ghost btn--icon"
          onClick={toggleTheme}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme (T)`}
          title="Theme (T)"
          data-testid="theme-button"
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button
          className="btn btn--ghost btn--icon"
          onClick={() => setDialog('help')}
          aria-label="Keyboard shortcuts (?)"
          title="Keyboard shortcuts (?)"
          data-testid="help-button"
        >
          ?
        </button>
      </div>
    </header>
  );
}
