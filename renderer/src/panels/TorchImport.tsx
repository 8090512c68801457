// Runs → Import: the weights a PyTorch package trained (output/final), back as a run of this project,
// with test metrics recomputed by Netwright (docs/SCALE-OUT.md).
import { useState } from 'react';
import type { ImportCheckpointResult } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { desktopHost } from '../engine/host.ts';
import { refreshRuns } from '../project/project-actions.ts';

type Outcome = { kind: 'ok'; result: ImportCheckpointResult } | { kind: 'error'; message: string } | null;

export function TorchImport({ projectPath }: { projectPath: string | null }) {
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const host = desktopHost();

  const run = async () => {
    let packageDir = dir;
    if (host) {
      const chosen = await host.exportDialog('package').catch(() => null);
      if (!chosen) return;
      packageDir = chosen;
    }
    if (!packageDir || !projectPath) return;
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ kind: 'ok', result: await engine().importCheckpoint({ packageDir, projectPath }) });
      await refreshRuns();
    } catch (err) {
      setOutcome({ kind: 'error', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const accuracy = outcome?.kind === 'ok' ? outcome.result.metrics.accuracy : undefined;
  return (
    <div className="panel-toolbar">
      {!host && (
        <input
          type="text"
          value={dir}
          placeholder="PyTorch package folder"
          onChange={(e) => setDir(e.target.value)}
          aria-label="PyTorch package folder to import"
          data-testid="runs-import-path"
          spellCheck={false}
        />
      )}
      <button
        className="btn"
        onClick={() => void run()}
        disabled={busy || !projectPath || (!host && !dir)}
        data-testid="runs-import-button"
        title={projectPath ? undefined : 'Save the project first: imported runs go beside it.'}
      >
        {busy ? 'Importing…' : 'Import PyTorch checkpoint'}
      </button>
      <span data-testid="runs-import-result" role="status" aria-live="polite">
        {outcome?.kind === 'error' && <span role="alert">Import failed: {outcome.message}</span>}
        {outcome?.kind === 'ok' && (
          <>
            Imported {outcome.result.checkpoint} ({outcome.result.epochsRun} epochs)
            {typeof accuracy === 'number' ? `: test accuracy ${(accuracy * 100).toFixed(1)}%` : ''}.
          </>
        )}
      </span>
    </div>
  );
}
