// File › Import: choose an ONNX file or a tfjs model.json in the workspace picker; the engine writes
// a project with its weights beside the model (EngineApi.importModel) and the editor opens it.
// A model that can't be imported is one sentence under the button; nothing was written.
import { useState } from 'react';
import type { FolderEntry } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { WorkspaceFilePicker } from '../files/WorkspaceFilePicker.tsx';
import { useEditor } from '../state/editor-store.ts';
import { openProjectFromHost } from './project-actions.ts';

export function ImportModelButton() {
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const pick = async (entry: FolderEntry) => {
    setPicking(false);
    setBusy(true);
    setError(null);
    try {
      const result = await engine().importModel({ source: entry.path });
      if (await openProjectFromHost(result.projectPath))
        useEditor
          .getState()
          .notify(
            `Imported ${entry.name}: ${result.nodes} nodes, ${result.totalParams.toLocaleString('en-US')} parameters, matching the source to ${result.maxAbsDiff.toExponential(1)}; saved as ${result.projectPath.split(/[\\/]/).pop()}.`,
          );
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="import-model">
      <button
        className="btn btn--ghost"
        onClick={() => setPicking(true)}
        disabled={busy}
        aria-label="Import a model (ONNX or tfjs) as an editable project"
        title="Import an ONNX file or a tfjs model.json as an editable project with its weights"
        data-testid="import-model-button"
      >
        {busy ? 'Importing…' : 'Import'}
      </button>
      {error && (
        <span className="import-model__error" role="alert" data-testid="import-model-error">
          {error}
          <button className="btn btn--ghost" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </span>
      )}
      {picking && (
        <WorkspaceFilePicker
          title="Import a model: an ONNX file or a tfjs model.json"
          accept={['onnx', 'tfjs-model']}
          onPick={(entry) => void pick(entry)}
          onClose={() => setPicking(false)}
        />
      )}
    </span>
  );
}
