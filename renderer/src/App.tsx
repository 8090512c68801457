// The editor window: top bar, palette | canvas | inspector, docked training/data/export panel, status bar.
import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas.tsx';
import { Palette } from './panels/Palette.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { TopBar } from './panels/TopBar.tsx';
import { StatusBar } from './panels/StatusBar.tsx';
import { BottomPanel } from './panels/BottomPanel.tsx';
import { Dialogs } from './panels/Dialogs.tsx';
import { engine, errorMessage } from './engine/client.ts';
import { isDirty, useEditor } from './state/editor-store.ts';
import { useSession } from './state/session-store.ts';
import { handleShortcut } from './shortcuts.ts';
import {
  checkRecovery,
  discardRecovery,
  newFromTemplate,
  openDroppedFile,
  openProjectPath,
  refreshRuns,
  restoreRecovery,
  startAutosave,
  type RecoveryOffer,
} from './project/project-actions.ts';
import { connectHost, hostLaunchFile } from './project/host-bridge.ts';

function useDocumentTitle() {
  const name = useEditor((s) => s.meta.name);
  const dirty = useEditor(isDirty);
  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name} — Netwright`;
  }, [name, dirty]);
}

/** Every unsaved recovery, newest first; the newest row's buttons keep the plain test ids. */
function RecoveryBanner({
  offers,
  onChange,
}: {
  offers: RecoveryOffer[];
  onChange(left: RecoveryOffer[]): void;
}) {
  const without = (offer: RecoveryOffer) => offers.filter((o) => o !== offer);
  return (
    <div
      className="recovery"
      role="alertdialog"
      aria-label="Restore unsaved work"
      data-testid="recovery-banner"
    >
      {offers.map((offer, i) => {
        const suffix = i === 0 ? '' : `-${i}`;
        return (
          <div className="banner" key={offer.id} data-testid={`recovery-offer${suffix}`}>
            <span>
              Unsaved work on <strong>{offer.project.name}</strong>
              {offer.projectPath ? ` (${offer.projectPath})` : ''} was recovered from{' '}
              {new Date(offer.savedAt).toLocaleString()}.
            </span>
            <button
              className={`btn ${i === 0 ? 'btn--primary' : ''}`}
              onClick={() => {
                restoreRecovery(offer);
                onChange(without(offer));
              }}
              data-testid={`recovery-restore${suffix}`}
              aria-label={`Restore ${offer.project.name} from ${new Date(offer.savedAt).toLocaleString()}`}
            >
              Restore
            </button>
            <button
              className="btn"
              onClick={() => {
                discardRecovery(offer);
                onChange(without(offer));
              }}
              data-testid={`recovery-discard${suffix}`}
              aria-label={`Discard ${offer.project.name} from ${new Date(offer.savedAt).toLocaleString()}`}
            >
              Discard
            </button>
          </div>
        );
      })}
    </div>
  );
}

export function App() {
  const [recovery, setRecovery] = useState<RecoveryOffer[]>([]);
  const [dropping, setDropping] = useState(false);
  // Tests and assistive tools can tell "no recovery to offer" from "not looked yet".
  const [recoveryChecked, setRecoveryChecked] = useState(false);
  useDocumentTitle();

  useEffect(() => {
    const api = engine();
    const unsubscribe = api.subscribe((e) => {
      useSession.getState().onEngineEvent(e);
      if (e.kind === 'train-finished') void refreshRuns();
    });
    api
      .backend()
      .then((b) => useSession.getState().setBackend(b))
      .catch((err) => useSession.getState().setBackend(null, errorMessage(err)));
    // Start on the desktop app's launch file or ?project=<path>, else on the first template; then
    // offer crash recovery.
    const startUpRevision = useEditor.getState().revision;
    const stopHost = connectHost();
    void (async () => {
      const q = new URLSearchParams(location.search);
      const wanted = (await hostLaunchFile()) ?? q.get('open') ?? q.get('project');
      const opened = wanted ? await openProjectPath(wanted) : false;
      if (!opened) {
        const examples = await api.listExamples().catch(() => []);
        const id = examples.find((x) => x.id === 'iris-mlp')?.id ?? examples[0]?.id;
        if (id && (await newFromTemplate(id, { startUpRevision })))
          useEditor.setState({ savedRevision: useEditor.getState().revision });
      }
      setRecovery(await checkRecovery());
      setRecoveryChecked(true);
    })();
    const stopAutosave = startAutosave();
    window.addEventListener('keydown', handleShortcut);
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (isDirty(useEditor.getState())) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsubscribe();
      stopHost();
      stopAutosave();
      window.removeEventListener('keydown', handleShortcut);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);

  return (
    <ReactFlowProvider>
      <div
        className={`app ${dropping ? 'is-dropping' : ''}`}
        data-recovery-checked={recoveryChecked ? 'yes' : 'no'}
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes('Files')) {
            e.preventDefault();
            setDropping(true);
          }
        }}
        onDragLeave={(e) => e.currentTarget === e.target && setDropping(false)}
        onDrop={(e) => {
          setDropping(false);
          const file = e.dataTransfer.files[0];
          if (file) {
            e.preventDefault();
            void openDroppedFile(file);
          }
        }}
      >
        <TopBar />
        {recovery.length > 0 && <RecoveryBanner offers={recovery} onChange={setRecovery} />}
        <main className="workspace">
          <Palette />
          <div className="centre">
            <Canvas />
            <BottomPanel />
          </div>
          <Inspector />
        </main>
        <StatusBar />
        <Dialogs />
      </div>
    </ReactFlowProvider>
  );
}
