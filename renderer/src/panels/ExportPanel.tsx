// Export: ONNX (verified against tfjs in onnxruntime: max difference shown) and the tfjs layers
// format. From the last trained run when there is one, else from the project with seeded weights.
import { useEffect, useRef, useState } from 'react';
import type { ExportResult } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { desktopHost } from '../engine/host.ts';
import { useEditor } from '../state/editor-store.ts';
import { useSession } from '../state/session-store.ts';
import { TorchExport } from './TorchExport.tsx';
import { canDownload } from '../engine/download.ts';
import { DownloadButton } from './DownloadButton.tsx';

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'model';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function dirOf(path: string | null): string {
  if (!path) return '';
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i + 1) : '';
}

// File › Export from the desktop menu: shows this tab and starts the export there (queued until mounted).
type Format = 'onnx' | 'tfjs';
let exportListener: ((format: Format) => void) | null = null;
let pendingExport: Format | null = null;
export function requestExport(format: Format): void {
  useSession.getState().setTab('export');
  if (exportListener) exportListener(format);
  else pendingExport = format;
}

type Outcome =
  { kind: 'ok'; result: ExportResult; format: 'onnx' | 'tfjs' } | { kind: 'error'; message: string } | null;

export function ExportPanel() {
  const name = useEditor((s) => s.meta.name);
  const projectPath = useEditor((s) => s.projectPath);
  const runDir = useSession((s) => (s.training.status === 'complete' ? s.training.runDir : null));
  const [onnxPath, setOnnxPath] = useState('');
  const [tfjsDir, setTfjsDir] = useState('');
  const [fromRun, setFromRun] = useState(true);
  const [busy, setBusy] = useState<'onnx' | 'tfjs' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const base = `${dirOf(projectPath)}${slug(name)}`;
  const onnxTarget = onnxPath || `${base}.onnx`;
  const tfjsTarget = tfjsDir || `${base}-tfjs`;

  const host = desktopHost();

  const run = async (format: 'onnx' | 'tfjs') => {
    const editor = useEditor.getState();
    if (!editor.inspection.valid) {
      setOutcome({
        kind: 'error',
        message: 'The graph has problems (red badges); fix them before exporting.',
      });
      return;
    }
    // The desktop app may write only where the user chose in a dialog (or beside the project).
    let target = format === 'onnx' ? onnxTarget : tfjsTarget;
    if (host) {
      try {
        const chosen = await host.exportDialog(
          format,
          format === 'onnx' ? `${slug(name)}.onnx` : `${slug(name)}-tfjs`,
        );
        if (!chosen) return;
        target = chosen;
      } catch (err) {
        setOutcome({ kind: 'error', message: errorMessage(err) });
        return;
      }
    }
    setBusy(format);
    setOutcome(null);
    try {
      const source =
        runDir && fromRun
          ? { runDir }
          : { project: editor.toProject(), projectPath: editor.projectPath ?? undefined };
      const result = await engine().exportModel({
        ...source,
        ...(format === 'onnx' ? { onnxPath: target } : { tfjsDir: target }),
      });
      setOutcome({ kind: 'ok', result, format });
    } catch (err) {
      setOutcome({ kind: 'error', message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    exportListener = (format) => void runRef.current(format);
    if (pendingExport) {
      void runRef.current(pendingExport);
      pendingExport = null;
    }
    return () => {
      exportListener = null;
    };
  }, []);

  return (
    <div className="export-panel">
      <div className="export-panel__rows">
        {/* On the desktop the export buttons ask with a native dialog instead of a typed path. */}
        {!host && (
          <label className="export-panel__field">
            ONNX file
            <input
              type="text"
              value={onnxPath}
              placeholder={`${base}.onnx`}
              onChange={(e) => setOnnxPath(e.target.value)}
              aria-label="ONNX file path"
              data-testid="export-onnx-path"
              spellCheck={false}
            />
          </label>
        )}
        <button
          className="btn btn--primary"
          data-testid="export-onnx-button"
          onClick={() => void run('onnx')}
          disabled={busy !== null}
        >
          {busy === 'onnx' ? 'Exporting…' : host ? 'Export ONNX…' : 'Export ONNX'}
        </button>
        {!host && (
          <label className="export-panel__field">
            tfjs folder
            <input
              type="text"
              value={tfjsDir}
              placeholder={`${base}-tfjs`}
              onChange={(e) => setTfjsDir(e.target.value)}
              aria-label="tfjs model folder"
              data-testid="export-tfjs-path"
              spellCheck={false}
            />
          </label>
        )}
        <button
          className="btn"
          data-testid="export-tfjs-button"
          onClick={() => void run('tfjs')}
          disabled={busy !== null}
        >
          {busy === 'tfjs' ? 'Exporting…' : host ? 'Export tfjs…' : 'Export tfjs'}
        </button>
      </div>
      <TorchExport runDir={runDir && fromRun ? runDir : null} defaultDir={`${base}-pytorch`} />
      <p className="muted export-panel__source">
        {runDir ? (
          <label>
            <input type="checkbox" checked={fromRun} onChange={(e) => setFromRun(e.target.checked)} /> Use the
            trained weights of <code>{runDir}</code>
          </label>
        ) : (
          'No trained run in this session: the model is exported with weights initialised from the seed.'
        )}
      </p>
      <div
        data-testid="export-result"
        className={`export-result ${outcome?.kind === 'error' ? 'is-error' : ''}`}
        role="status"
        aria-live="polite"
      >
        {outcome === null && !busy && (
          <span className="muted">
            Exported files are checked: the ONNX model runs in onnxruntime and is compared with tfjs.
          </span>
        )}
        {busy && <span className="muted">Exporting and checking parity…</span>}
        {outcome?.kind === 'error' && <span role="alert">Export failed: {outcome.message}</span>}
        {outcome?.kind === 'ok' && <ExportSummary result={outcome.result} format={outcome.format} />}
      </div>
    </div>
  );
}

function ExportSummary({ result, format }: { result: ExportResult; format: 'onnx' | 'tfjs' }) {
  const parity = result.parity;
  return (
    <div className="export-summary">
      {format === 'onnx' && result.onnxPath && (
        <div>
          <strong>ONNX written</strong> to <code>{result.onnxPath}</code>
          {result.onnxBytes !== undefined && <> · {formatBytes(result.onnxBytes)}</>}
          {canDownload() && (
            <DownloadButton path={result.onnxPath} testId="export-download" label="Download" />
          )}
        </div>
      )}
      {format === 'tfjs' && result.tfjsDir && (
        <div>
          <strong>tfjs model written</strong> to <code>{result.tfjsDir}</code>
          {canDownload() && (
            <DownloadButton path={result.tfjsDir} testId="export-tfjs-download" label="Download .zip" />
          )}
        </div>
      )}
      {parity && (
        <div className={parity.passed ? 'parity is-pass' : 'parity is-fail'} data-testid="export-parity">
          {parity.passed ? '✓ Parity passed' : '✗ Parity FAILED'}: max abs difference{' '}
          {parity.maxAbsDiff.toExponential(2)}, max rel {parity.maxRelDiff.toExponential(2)} over{' '}
          {parity.samples} samples
        </div>
      )}
      {format === 'onnx' && result.deployment && (
        <div data-testid="export-deployment">
          <strong>With preprocessing</strong>: {result.deployment.inputsDescription} Outputs:{' '}
          {result.deployment.outputs.map((o) => o.name).join(', ')}.{' '}
          {result.deployment.parity.passed ? '✓' : '✗'} Same predictions as Predict on{' '}
          {result.deployment.parity.samples} raw samples.
        </div>
      )}
      {format === 'onnx' && result.networkOnlyReason && (
        <div data-testid="export-network-only">Network only: {result.networkOnlyReason}.</div>
      )}
    </div>
  );
}
