// Project lifecycle: new from template, open, save, save as, dropped files, autosave and recovery.
import { projectFromJson } from '../../../engine/project/load.ts';
import { CURRENT_VERSION, type Project } from '../../../engine/project/schema.ts';
import type { RecoveryInfo } from '../../../engine/api.ts';
import { EngineCallError, engine, errorMessage } from '../engine/client.ts';
import { desktopHost } from '../engine/host.ts';
import { isDirty, useEditor } from '../state/editor-store.ts';
import { useSession } from '../state/session-store.ts';
import { autoLayout, fitView, whileViewSettles } from '../canvas/canvas-handle.ts';
import { announceSession, openSessionIds } from './live-sessions.ts';

export const PROJECT_EXTENSION = '.netwright.json';
const AUTOSAVE_IDLE_MS = 3000;
/** How the engine lists the single recovery file of older versions (engine/project/recovery.ts). */
const LEGACY_RECOVERY_ID = 'legacy';

/** A random id for this page's editing session (getRandomValues also works outside secure contexts). */
function newRecoverySessionId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/**
 * This window's (tab's) own recovery file: each page load is a new editing session, so a reload
 * after a crash never overwrites what the crashed one left, and two tabs never share a file.
 */
let recoverySessionId = newRecoverySessionId();
announceSession(() => recoverySessionId);

function afterLoad(project: Project): void {
  const needsLayout = project.graph.nodes.some((n) => !n.position);
  void whileViewSettles(
    new Promise<void>((resolve) =>
      requestAnimationFrame(() => {
        const settled = needsLayout
          ? autoLayout().then(() =>
              useEditor.setState({ past: [], future: [], savedRevision: useEditor.getState().revision }),
            )
          : fitView(true);
        void settled.finally(resolve);
      }),
    ),
  );
  useSession.getState().setRuns([]);
  void refreshRuns();
}

export function newBlankProject(): void {
  useEditor.getState().loadProject(
    {
      format: 'netwright',
      version: CURRENT_VERSION,
      name: 'Untitled',
      graph: { nodes: [], edges: [] },
      training: {
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 20,
        batchSize: 32,
        validationSplit: 0.1,
        seed: 42,
      },
    },
    null,
  );
  useSession.getState().setDialog(null);
}

/**
 * `startUpRevision`: the editor's revision when the app launched, for the project it opens on launch.
 * That load neither closes a dialog the user opened meanwhile nor replaces a project the user
 * already opened or started editing.
 */
export async function newFromTemplate(id: string, opts?: { startUpRevision?: number }): Promise<boolean> {
  const startUp = opts?.startUpRevision !== undefined;
  try {
    const project = await engine().loadExample(id);
    if (startUp && useEditor.getState().revision !== opts.startUpRevision) return false;
    useEditor.getState().loadProject(project, null, { dirty: true });
    if (!startUp) useSession.getState().setDialog(null);
    afterLoad(project);
    return true;
  } catch (err) {
    useEditor.getState().notify(errorMessage(err), 'error');
    return false;
  }
}

export async function openProjectPath(path: string): Promise<boolean> {
  try {
    const project = await engine().openProject(path);
    useEditor.getState().loadProject(project, path);
    useSession.getState().addRecent(path);
    useSession.getState().setDialog(null);
    afterLoad(project);
    return true;
  } catch (err) {
    useEditor.getState().notify(errorMessage(err), 'error');
    return false;
  }
}

export function normaliseProjectPath(name: string): string {
  const trimmed = name.trim();
  return trimmed.endsWith(PROJECT_EXTENSION) ? trimmed : trimmed.replace(/\.json$/, '') + PROJECT_EXTENSION;
}

export async function saveProjectAs(path: string): Promise<boolean> {
  const target = normaliseProjectPath(path);
  const editor = useEditor.getState();
  const revision = editor.revision;
  try {
    await engine().saveProject(target, editor.toProject(), editor.projectPath ?? undefined);
    useEditor.setState({ projectPath: target, savedRevision: revision });
    useSession.getState().addRecent(target);
    useSession.getState().setDialog(null);
    editor.notify(`Saved ${target}.`);
    void engine()
      .saveRecovery(null, undefined, recoverySessionId)
      .catch(() => undefined);
    void refreshRuns();
    return true;
  } catch (err) {
    editor.notify(`Could not save: ${errorMessage(err)}`, 'error');
    // A read-only original (a bundled example): offer Save As straight away, nothing is lost.
    if (err instanceof EngineCallError && err.data.code === 'forbidden' && target === editor.projectPath)
      useSession.getState().setDialog('saveAs');
    return false;
  }
}

export async function saveProject(): Promise<void> {
  const path = useEditor.getState().projectPath;
  if (path) await saveProjectAs(path);
  else await requestSaveAs();
}

/** A file name for the project: its name, lower-case with dashes, and the project extension. */
export function suggestedFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'untitled'}${PROJECT_EXTENSION}`;
}

/**
 * The desktop app's native dialogs show no warning about unsaved changes (the web Open dialog does):
 * ask before a chosen or OS-opened project replaces them.
 */
function mayReplaceUnsaved(path: string): boolean {
  const editor = useEditor.getState();
  if (!isDirty(editor)) return true;
  return window.confirm(
    `"${editor.meta.name}" has unsaved changes. Open ${path} and discard them? (Cancel, then Save, to keep them.)`,
  );
}

/** File › Open: the native dialog on the desktop, the Open dialog in a browser. */
export async function requestOpen(): Promise<void> {
  const host = desktopHost();
  if (!host) return useSession.getState().setDialog('open');
  try {
    const chosen = await host.openDialog();
    if (chosen) await openProjectFromHost(chosen);
  } catch (err) {
    useEditor.getState().notify(errorMessage(err), 'error');
  }
}

/** A project the desktop host handed over (dialog, OS file association, launch argument). */
export async function openProjectFromHost(path: string): Promise<boolean> {
  if (!mayReplaceUnsaved(path)) return false;
  return openProjectPath(path);
}

/** File › Save As: the native dialog on the desktop, the Save As dialog in a browser. */
export async function requestSaveAs(): Promise<void> {
  const host = desktopHost();
  if (!host) return useSession.getState().setDialog('saveAs');
  const editor = useEditor.getState();
  const current = editor.projectPath;
  const suggested = current?.split(/[\\/]/).pop() || suggestedFileName(editor.meta.name);
  try {
    const chosen = await host.saveDialog(suggested);
    if (chosen) await saveProjectAs(chosen);
  } catch (err) {
    editor.notify(`Could not save: ${errorMessage(err)}`, 'error');
  }
}

/** A project file dropped onto the window: validated here, opened as an unsaved project. */
export async function openDroppedFile(file: File): Promise<void> {
  const editor = useEditor.getState();
  let value: unknown;
  try {
    value = JSON.parse(await file.text());
  } catch {
    editor.notify(`${file.name} is not a Netwright project: it is not valid JSON.`, 'error');
    return;
  }
  const result = projectFromJson(value);
  if (!result.ok) {
    const p = result.problems[0];
    editor.notify(`${file.name} is not a valid project: ${p.path ? `${p.path}: ` : ''}${p.message}`, 'error');
    return;
  }
  editor.loadProject(result.project, null, { dirty: true });
  editor.notify(`Opened ${file.name} (not saved yet: use Save As to keep it in the workspace).`);
  afterLoad(result.project);
}

export async function refreshRuns(): Promise<void> {
  const path = useEditor.getState().projectPath;
  if (!path) {
    useSession.getState().setRuns([], null);
    return;
  }
  try {
    useSession.getState().setRuns(await engine().listRuns(path));
  } catch (err) {
    useSession.getState().setRuns([], errorMessage(err));
  }
}

/** Autosave to the recovery file after a few seconds without edits. Returns the unsubscribe. */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let warned = false;
  const unsubscribe = useEditor.subscribe((s, prev) => {
    if (s.revision === prev.revision) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const st = useEditor.getState();
      if (!isDirty(st)) return;
      const revision = st.revision;
      engine()
        .saveRecovery(st.toProject(), st.projectPath ?? undefined, recoverySessionId)
        .then(() => useSession.getState().setAutosaved(revision))
        .catch((err) => {
          if (!warned) st.notify(`Autosave is off: ${errorMessage(err)}`, 'error');
          warned = true;
        });
    }, AUTOSAVE_IDLE_MS);
  });
  return () => {
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}

export type RecoveryOffer = RecoveryInfo;

/** Every recovery left behind by a window or tab that is no longer open, newest first. */
export async function checkRecovery(): Promise<RecoveryOffer[]> {
  try {
    const [offers, open] = await Promise.all([engine().listRecoveries(), openSessionIds()]);
    return offers.filter((offer) => !open.has(offer.id));
  } catch {
    return [];
  }
}

/** Open the recovered project; this session carries on autosaving it under the recovery's own id. */
export function restoreRecovery(offer: RecoveryOffer): void {
  useEditor.getState().loadProject(offer.project, offer.projectPath ?? null, { dirty: true });
  afterLoad(offer.project);
  if (offer.id !== LEGACY_RECOVERY_ID) {
    // Taking over its id (rather than writing it under ours) leaves any recovery of ours in place.
    recoverySessionId = offer.id;
    return;
  }
  // The old single file: move it to a session file of its own, then remove it.
  recoverySessionId = newRecoverySessionId();
  void engine()
    .saveRecovery(offer.project, offer.projectPath, recoverySessionId)
    .then(() => engine().discardRecovery(offer.id))
    .catch(() => undefined);
}

export function discardRecovery(offer: RecoveryOffer): void {
  void engine()
    .discardRecovery(offer.id)
    .catch(() => undefined);
}
