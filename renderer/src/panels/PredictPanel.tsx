// Predict: run a trained run's model on a CSV or images from the workspace (chosen with the file
// picker), show each prediction with the blanks filled in its row, save them as a CSV and, in web
// mode, download that file. EngineApi.predict does the work (the same as `netwright predict`).
import { useState } from 'react';
import type { FolderEntry, PredictResult, PredictionRow } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { canDownload, downloadWorkspaceFile } from '../engine/download.ts';
import { WorkspaceFilePicker } from '../files/WorkspaceFilePicker.tsx';
import { folderOf } from '../files/project-relative.ts';
import { useEditor } from '../state/editor-store.ts';
import { useSession } from '../state/session-store.ts';

const started = (iso: string) => new Date(iso).toLocaleString();
const pct = (p: number | undefined) => (p === undefined ? '' : `${(100 * p).toFixed(1)}%`);
const num = (v: number) => String(Number(v.toPrecision(6)));

function useRunChoices(): { runDir: string; label: string }[] {
  const runs = useSession((s) => s.runs);
  const last = useSession((s) => (s.training.status === 'complete' ? s.training.runDir : null));
  const choices = runs
    .filter((r) => r.status === 'complete')
    .map((r) => ({ runDir: r.runDir, label: `${started(r.startedAt)} · ${r.projectName}` }));
  if (last && !choices.some((c) => c.runDir === last))
    choices.unshift({ runDir: last, label: `${last} (this session)` });
  return choices;
}

export function PredictPanel() {
  const projectPath = useEditor((s) => s.projectPath);
  const choices = useRunChoices();
  const [chosenRun, setChosenRun] = useState('');
  const runDir = choices.some((c) => c.runDir === chosenRun) ? chosenRun : (choices[0]?.runDir ?? '');
  const [files, setFiles] = useState<FolderEntry[]>([]);
  const [picking, setPicking] = useState(false);
  const [result, setResult] = useState<PredictResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const folder = projectPath ? folderOf(projectPath) : '.';
  const [savePath, setSavePath] = useState('');
  const saveTarget = savePath || `${folder === '.' ? '' : `${folder}/`}predictions.csv`;
  const [saved, setSaved] = useState<string | null>(null);

  // A CSV replaces the choice; images add up (one prediction each).
  const pick = (entry: FolderEntry) => {
    setPicking(false);
    setResult(null);
    setSaved(null);
    setFiles((current) =>
      entry.kind === 'image' && current.every((f) => f.kind === 'image')
        ? [...current.filter((f) => f.path !== entry.path), entry]
        : [entry],
    );
  };

  const predict = async (saveTo?: string) => {
    setBusy(true);
    setError(null);
    try {
      const next = await engine().predict({
        runDir,
        files: files.map((f) => f.path),
        ...(saveTo ? { saveTo } : {}),
      });
      setResult(next);
      setSaved(next.savedTo ?? null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const download = async (path: string) => {
    try {
      await downloadWorkspaceFile(path);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (choices.length === 0)
    return (
      <p className="muted" data-testid="predict-no-run">
        Train the project to predict with its model.
      </p>
    );
  return (
    <div className="predict-panel">
      <div className="panel-toolbar">
        <label>
          Run{' '}
          <select
            value={runDir}
            onChange={(e) => setChosenRun(e.target.value)}
            aria-label="Run whose model predicts"
            data-testid="predict-run"
          >
            {choices.map((c) => (
              <option key={c.runDir} value={c.runDir}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button className="btn" onClick={() => setPicking(true)} data-testid="predict-choose">
          {files.length && files[0].kind === 'image' ? 'Add image…' : 'Choose CSV or image…'}
        </button>
        <span className="predict-panel__files" data-testid="predict-files">
          {files.length === 0 ? (
            <span className="muted">No file chosen</span>
          ) : (
            files.map((f) => <code key={f.path}>{f.path}</code>)
          )}
        </span>
        {files.length > 0 && (
          <button
            className="btn btn--ghost"
            onClick={() => (setFiles([]), setResult(null))}
            aria-label="Clear the chosen files"
          >
            Clear
          </button>
        )}
        <button
          className="btn btn--primary"
          onClick={() => void predict()}
          disabled={busy || files.length === 0 || !runDir}
          data-testid="predict-button"
        >
          {busy ? 'Predicting…' : 'Predict'}
        </button>
      </div>
      {picking && (
        <WorkspaceFilePicker
          title="Choose a CSV file or an image to predict"
          accept={['csv', 'image']}
          startFolder={projectPath ? folder : undefined}
          onPick={pick}
          onClose={() => setPicking(false)}
        />
      )}
      {error && (
        <p className="param__error" role="alert" data-testid="predict-error">
          {error}
        </p>
      )}
      {result && (
        <>
          {result.warnings.map((w) => (
            <p key={w} className="warning-text">
              {w}
            </p>
          ))}
          <PredictionTable result={result} />
          <div className="panel-toolbar predict-panel__save">
            <label>
              Save as{' '}
              <input
                type="text"
                value={savePath}
                placeholder={saveTarget}
                onChange={(e) => setSavePath(e.target.value)}
                aria-label="CSV file to save the predictions to"
                data-testid="predict-save-path"
                spellCheck={false}
              />
            </label>
            <button
              className="btn"
              onClick={() => void predict(saveTarget)}
              disabled={busy}
              data-testid="predict-save"
            >
              Save CSV
            </button>
            {saved && (
              <span data-testid="predict-saved">
                Saved to <code>{saved}</code>
              </span>
            )}
            {saved && canDownload() && (
              <button className="btn" onClick={() => void download(saved)} data-testid="predict-download">
                Download
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}

function PredictionTable({ result }: { result: PredictResult }) {
  const classification = result.task === 'classification';
  const valueNames = [...new Set(result.rows.flatMap((r) => Object.keys(r.values ?? {})))];
  const several = new Set(result.rows.map((r) => r.file)).size > 1;
  const label = (r: PredictionRow) => (several && r.row !== r.file ? `${r.file} ${r.row}` : r.row);
  return (
    <div className="table-scroll">
      <table className="table table--compact" data-testid="predict-table">
        <thead>
          <tr>
            <th scope="col">Row</th>
            {classification ? (
              <>
                <th scope="col">Class</th>
                <th scope="col">Probability</th>
              </>
            ) : (
              valueNames.map((v) => (
                <th key={v} scope="col">
                  {v}
                </th>
              ))
            )}
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.slice(0, 1000).map((r, i) => (
            <tr key={i} data-testid={`predict-row-${i}`}>
              <td>{label(r)}</td>
              {classification ? (
                <>
                  <td data-testid={`predict-class-${i}`}>{r.className}</td>
                  <td>{pct(r.probability)}</td>
                </>
              ) : (
                valueNames.map((v) => <td key={v}>{r.values?.[v] === undefined ? '' : num(r.values[v])}</td>)
              )}
              <td className="warning-text">{r.warnings.join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.rows.length > 1000 && (
        <p className="muted">
          Showing 1,000 of {result.rows.length.toLocaleString('en-US')} rows; Save CSV keeps them all.
        </p>
      )}
    </div>
  );
}
