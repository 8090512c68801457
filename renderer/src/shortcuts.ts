// Keyboard shortcuts of the editor (listed in the ? overlay).
import { useEditor } from './state/editor-store.ts';
import { useSession } from './state/session-store.ts';
import { autoLayout, fitView, zoomBy } from './canvas/canvas-handle.ts';
import { requestOpen, requestSaveAs, saveProject } from './project/project-actions.ts';
import { startTraining, stopTraining } from './panels/TrainingPanel.tsx';

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl';

export const SHORTCUTS: { keys: string; description: string }[] = [
  { keys: `${mod} Z`, description: 'Undo' },
  { keys: `${mod} Shift Z`, description: 'Redo (also Ctrl Y)' },
  { keys: `${mod} C`, description: 'Copy the selected nodes' },
  { keys: `${mod} V`, description: 'Paste' },
  { keys: `${mod} D`, description: 'Duplicate the selection' },
  { keys: `${mod} A`, description: 'Select all nodes' },
  { keys: 'Delete', description: 'Delete the selection (also Backspace)' },
  { keys: `${mod} S`, description: 'Save' },
  { keys: `${mod} Shift S`, description: 'Save as…' },
  { keys: `${mod} O`, description: 'Open…' },
  { keys: `${mod} N`, description: 'New from template…' },
  { keys: 'L', description: 'Automatic layout' },
  { keys: 'F', description: 'Fit the selection (or the whole graph) in view' },
  { keys: '+ −', description: 'Zoom in / out' },
  { keys: 'F5', description: 'Train' },
  { keys: 'Shift F5', description: 'Stop training' },
  { keys: 'T', description: 'Toggle light / dark theme' },
  { keys: '?', description: 'Show this help' },
  { keys: 'Esc', description: 'Close a dialog' },
];

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export function handleShortcut(e: KeyboardEvent): void {
  const editor = useEditor.getState();
  const session = useSession.getState();
  const primary = isMac ? e.metaKey : e.ctrlKey;
  const key = e.key.toLowerCase();
  const run = (fn: () => void) => {
    e.preventDefault();
    fn();
  };
  if (primary && key === 's') return run(() => void (e.shiftKey ? requestSaveAs() : saveProject()));
  if (primary && key === 'o') return run(() => void requestOpen());
  if (primary && key === 'n') return run(() => session.setDialog('templates'));
  if (e.key === 'F5') return run(() => void (e.shiftKey ? stopTraining() : startTraining()));
  if (session.dialog) {
    if (e.key === 'Escape') run(() => session.setDialog(null));
    return;
  }
  if (isTyping(e.target)) return;
  if (primary && key === 'z') return run(() => (e.shiftKey ? editor.redo() : editor.undo()));
  if (primary && key === 'y') return run(() => editor.redo());
  if (primary && key === 'c') return run(() => editor.copySelection());
  if (primary && key === 'v') return run(() => editor.paste());
  if (primary && key === 'd') return run(() => editor.duplicateSelection());
  if (primary && key === 'a') return run(() => editor.selectAll());
  if (primary || e.altKey) return;
  if (e.key === 'Delete' || e.key === 'Backspace') return run(() => editor.deleteSelection());
  if (e.key === '?') return run(() => session.setDialog('help'));
  if (key === 'l') return run(() => void autoLayout());
  if (key === 'f') return run(fitView);
  if (key === 't') return run(() => session.toggleTheme());
  if (e.key === '+' || e.key === '=') return run(() => zoomBy(1.2));
  if (e.key === '-') return run(() => zoomBy(1 / 1.2));
}
