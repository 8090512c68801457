// The desktop host's side of the app (no-op in a browser): opens the launch project, keeps the
// window title and dirty marker in step, and maps menu commands and OS-opened files to the actions
// the toolbar and keyboard shortcuts use.
import { desktopHost, type MenuCommand } from '../engine/host.ts';
import { errorMessage } from '../engine/client.ts';
import { isDirty, useEditor } from '../state/editor-store.ts';
import { useSession } from '../state/session-store.ts';
import { autoLayout, fitView } from '../canvas/canvas-handle.ts';
import { startTraining, stopTraining } from '../panels/TrainingPanel.tsx';
import { requestExport } from '../panels/ExportPanel.tsx';
import { openProjectFromHost, requestOpen, requestSaveAs, saveProject } from './project-actions.ts';

/** The commands electron/menu.ts sends. */
export type HostCommand = MenuCommand;

/** Undo/redo from the menu act on the focused text field when there is one, else on the graph. */
function editingText(): boolean {
  const el = document.activeElement as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA'].includes(el.tagName));
}

export function runHostCommand(command: HostCommand): void {
  const editor = useEditor.getState();
  const session = useSession.getState();
  switch (command) {
    case 'new':
      return session.setDialog('templates');
    case 'open':
      return void requestOpen();
    case 'save':
      return void saveProject();
    case 'saveAs':
      return void requestSaveAs();
    case 'undo':
      return editingText() ? void document.execCommand('undo') : editor.undo();
    case 'redo':
      return editingText() ? void document.execCommand('redo') : editor.redo();
    case 'layout':
      return void autoLayout();
    case 'fit':
      return void fitView();
    case 'train':
      return void startTraining();
    case 'stop':
      return void stopTraining();
    case 'exportOnnx':
      return requestExport('onnx');
    case 'exportTfjs':
      return requestExport('tfjs');
    case 'shortcuts':
      return session.setDialog('help');
  }
}

/** The launch project (host.initialFile) or null; null in a browser or when there is none. */
export async function hostLaunchFile(): Promise<string | null> {
  const host = desktopHost();
  if (!host) return null;
  try {
    return await host.initialFile();
  } catch (err) {
    useEditor.getState().notify(errorMessage(err), 'error');
    return null;
  }
}

/** Wire the desktop host (menu, open-file, title/dirty). Returns the unsubscribe; no-op in a browser. */
export function connectHost(): () => void {
  const host = desktopHost();
  if (!host) return () => undefined;
  const stopEvents = host.onHostEvent((e) => {
    if (e.kind === 'menu') runHostCommand(e.command);
    else void openProjectFromHost(e.path);
  });
  let last = '';
  const report = () => {
    const s = useEditor.getState();
    const doc = { path: s.projectPath, name: s.meta.name, dirty: isDirty(s) };
    const key = JSON.stringify(doc);
    if (key === last) return;
    last = key;
    host.setDocument(doc).catch(() => undefined);
  };
  report();
  const stopEditor = useEditor.subscribe(report);
  return () => {
    stopEvents();
    stopEditor();
  };
}
