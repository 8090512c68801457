// Export → PyTorch package: the model, its weights and data with a DDP train.py (docs/SCALE-OUT.md),
// from the trained run when there is one (and the user keeps it ticked), else from the project.
import { useState } from 'react';
import type { TorchExportResult } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { desktopHost } from '../engine/host.ts';
import { useEditor } from '../state/editor-store.ts';
import { canDownload } from '../engine/download.ts';
import { DownloadButton } from './DownloadButton.tsx';

type Outcome = { kind: 'ok'; result: TorchExportResult } | { kind: 'error'; message: string } | null;

export function TorchExport({ runDir, defaultDir }: { runDir: string | null; defaultDir: string }) {
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const host = desktopHost();

  const run = async () => {
    const editor = useEditor.getState();
    if (!editor.inspection.valid) {
      setOutcome({
        kind: 'error',
        message: 'The graph has problems (red badges); fix them before exporting.',
      });
      return;
    }
    let target = dir || defaultDir;
    if (host) {
      const chosen = await host.exportDialog('pytorch').catch((err: unknown) => {
        setOutcome({ kind: 'error', message: errorMessage(err) });
        return null;
      });
      if (!chosen) return;
      target = chosen;
    }
    setBusy(true);
    setOutcome(null);
    try {
      const source = runDir
        ? { runDir }
        : { project: editor.toProject(), projectPath: editor.projectPath ?? undefined };
      setOutcome({ kind: 'ok', result: await engine().exportTorchPackage({ ...source, outDir: target }) });
    } catch (err) {
      setOutcome({ kind: 'error', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-panel__rows">
      {!host && (
        <label className="export-panel__field">
          PyTorch package folder
          <input
            type="text"
            value={dir}
            placeholder={defaultDir}
            onChange={(e) => setDir(e.target.value)}
            aria-label="PyTorch package folder"
            data-testid="export-pytorch-path"
            spellCheck={false}
          />
        </label>
      )}
      <button className="btn" data-testid="export-pytorch-button" onClick={() => void run()} disabled={busy}>
        {busy ? 'Exporting…' : host ? 'Export PyTorch package…' : 'Export PyTorch package'}
      </button>
      <div data-testid="export-pytorch-result" role="status" aria-live="polite">
        {outcome?.kind === 'error' && <span role="alert">PyTorch export failed: {outcome.message}</span>}
        {outcome?.kind === 'ok' && (
          <span>
            <strong>PyTorch package written</strong> to <code>{outcome.result.dir}</code>: model.py (
            {outcome.result.className}, {outcome.result.parameters} weights, {outcome.result.weights}), data (
            {outcome.result.samples.train} train, {outcome.result.samples.validation} validation,{' '}
            {outcome.result.samples.test} test samples), train.py for DistributedDataParallel. Run{' '}
            <code>python3 train.py --nproc-per-node 2</code> in it, or see its README.md.
          </span>
        )}
        {outcome?.kind === 'ok' && canDownload() && (
          <DownloadButton path={outcome.result.dir} testId="export-pytorch-download" label="Download .zip" />
        )}
      </div>
    </div>
  );
}
