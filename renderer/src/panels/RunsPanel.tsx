// The Runs tab: this project's runs (others in the same folder on request), the test metrics that
// fit each run's task, and two or more runs compared: loss curves overlaid, settings side by side.
import { useMemo, useState } from 'react';
import type { RunSummary } from '../../../engine/api.ts';
import { useEditor } from '../state/editor-store.ts';
import { useSession } from '../state/session-store.ts';
import { refreshRuns } from '../project/project-actions.ts';
import { LineChart, type LineSeries } from './LineChart.tsx';
import { ResultsView } from './ResultsView.tsx';
import { TorchImport } from './TorchImport.tsx';
import { fmt } from './metrics.ts';
import { useExplainTarget } from '../state/explain-store.ts';

/** The columns a task's runs are compared by: [heading, metric key or reader, shown as %]. */
const COLUMNS: Record<
  string,
  { title: string; read: (m: Record<string, unknown>) => unknown; pct?: boolean }[]
> = {
  classification: [
    { title: 'accuracy', read: (m) => m.accuracy, pct: true },
    { title: 'macro F1', read: (m) => (m.macro as { f1?: number } | undefined)?.f1 },
  ],
  regression: [
    { title: 'MAE', read: (m) => m.mae },
    { title: 'RMSE', read: (m) => m.rmse },
    { title: 'R²', read: (m) => m.r2 },
  ],
};

const PALETTE = ['var(--accent)', '#d9822b', '#2b9d8f', '#b04fd1', '#c23b3b', '#5b7bd6'];

const show = (v: unknown, pct?: boolean) =>
  typeof v !== 'number' || !Number.isFinite(v) ? '—' : pct ? `${(v * 100).toFixed(1)}%` : fmt(v);

const started = (r: RunSummary) => new Date(r.startedAt).toLocaleString();

/** Where a point of an epoch's per-batch curve sits on the epoch axis: the end of its stretch of batches. */
const at = (epoch: number, i: number, k: number) => Math.round((epoch - 1 + (i + 1) / k) * 1e6) / 1e6;

function CompareRuns({ runs }: { runs: RunSummary[] }) {
  const { x, series, points } = useMemo(() => {
    // Per run: the training loss per stretch of batches (thin) and the validation loss per epoch (dashed).
    const curves = runs.map((r) => {
      const train = new Map<number, number>();
      const validation = new Map<number, number>();
      for (const p of r.curve) {
        const k = p.batchLosses?.length ?? 0;
        if (k) p.batchLosses!.forEach((v, i) => train.set(at(p.epoch, i, k), v));
        else train.set(p.epoch, p.loss);
        if (p.valLoss !== undefined) validation.set(p.epoch, p.valLoss);
      }
      return { r, train, validation };
    });
    const x = [...new Set(curves.flatMap((c) => [...c.train.keys(), ...c.validation.keys()]))].sort(
      (a, b) => a - b,
    );
    const series: LineSeries[] = curves.flatMap(({ r, train, validation }, i) => {
      const color = PALETTE[i % PALETTE.length];
      const out: LineSeries[] = [
        { label: `${started(r)} training`, color, thin: true, values: x.map((e) => train.get(e) ?? null) },
      ];
      if (validation.size)
        out.push({
          label: `${started(r)} validation`,
          color,
          dash: [5, 4],
          values: x.map((e) => validation.get(e) ?? null),
        });
      return out;
    });
    const points = curves.reduce((n, c) => n + c.train.size, 0);
    return { x, series, points };
  }, [runs]);
  return (
    <section className="runs-panel__compare" data-testid="runs-compare" aria-label="Compare runs">
      <LineChart
        title="Loss per run: training per batch, validation per epoch"
        x={x}
        series={series}
        testId="chart-compare"
        pointCount={points}
        integerTicks
      />
      <table className="table" data-testid="runs-compare-settings">
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">epochs run</th>
            <th scope="col">batch size</th>
            <th scope="col">seed</th>
            <th scope="col">backend</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runDir}>
              <td>{started(r)}</td>
              <td>
                {r.settings.epochsRun ?? r.curve.length} of {r.settings.epochs}
              </td>
              <td>{r.settings.batchSize}</td>
              <td>{r.settings.seed}</td>
              <td>{r.backend}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function RunsPanel() {
  const runs = useSession((s) => s.runs);
  const error = useSession((s) => s.runsError);
  const path = useEditor((s) => s.projectPath);
  const [showOthers, setShowOthers] = useState(false);
  const [openDir, setOpenDir] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const setTab = useSession((s) => s.setTab);
  const explainRun = (dir: string) => {
    useExplainTarget.getState().setTarget(dir);
    setTab('explain');
  };
  const others = runs.filter((r) => !r.ofThisProject).length;
  const shown = showOthers ? runs : runs.filter((r) => r.ofThisProject);
  const tasks = [...new Set(shown.map((r) => String(r.metrics.task ?? '')))].filter((t) => t in COLUMNS);
  const columns = tasks.flatMap((t) => COLUMNS[t]);
  const opened = shown.find((r) => r.runDir === openDir);
  const compared = shown.filter((r) => selected.includes(r.runDir));
  const toggle = (dir: string) =>
    setSelected((s) => (s.includes(dir) ? s.filter((d) => d !== dir) : [...s, dir]));
  return (
    <div className="runs-panel">
      <div className="panel-toolbar">
        <span className="muted">
          {path ? `Runs of ${path}` : 'Save the project to keep a history of its runs.'}
        </span>
        {others > 0 && (
          <label className="check">
            <input
              type="checkbox"
              checked={showOthers}
              onChange={(e) => setShowOthers(e.target.checked)}
              data-testid="runs-show-others"
            />
            Also runs of other projects in this folder ({others})
          </label>
        )}
        <button className="btn" onClick={() => void refreshRuns()} disabled={!path}>
          Refresh
        </button>
      </div>
      <TorchImport projectPath={path} />
      {error && <p className="param__error">{error}</p>}
      {shown.length > 0 ? (
        <div className="table-scroll">
          <table className="table" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">compare</th>
                <th scope="col">started</th>
                {showOthers && <th scope="col">project</th>}
                <th scope="col">status</th>
                <th scope="col">backend</th>
                {columns.map((c) => (
                  <th scope="col" key={c.title}>
                    {c.title}
                  </th>
                ))}
                <th scope="col">metrics</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r, i) => (
                <tr key={r.runDir} data-testid={`run-row-${i}`}>
                  <td>
                    <input
                      type="checkbox"
                      checked={selected.includes(r.runDir)}
                      onChange={() => toggle(r.runDir)}
                      aria-label={`Compare the run started ${started(r)}`}
                      data-testid={`run-select-${i}`}
                    />
                  </td>
                  <td title={r.runDir}>{started(r)}</td>
                  {showOthers && <td>{r.projectName}</td>}
                  <td>{r.status}</td>
                  <td>{r.backend}</td>
                  {columns.map((c) => (
                    <td key={c.title}>{show(c.read(r.metrics), c.pct)}</td>
                  ))}
                  <td>
                    <button
                      className="btn btn--ghost"
                      onClick={() => setOpenDir(openDir === r.runDir ? null : r.runDir)}
                      aria-expanded={openDir === r.runDir}
                      aria-label={`Metrics of the run started ${started(r)}`}
                      data-testid={`run-open-${i}`}
                    >
                      {openDir === r.runDir ? 'Hide' : 'Open'}
                    </button>
                    {r.status === 'complete' && (
                      <button
                        className="btn btn--ghost"
                        onClick={() => explainRun(r.runDir)}
                        aria-label={`Explain the run started ${started(r)}`}
                        data-testid={`run-explain-${i}`}
                      >
                        Explain
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !error &&
        path && (
          <p className="muted">
            No runs of this project yet{others > 0 ? ' (other projects in this folder have some)' : ''}.
          </p>
        )
      )}
      {compared.length >= 2 ? (
        <CompareRuns runs={compared} />
      ) : (
        shown.length >= 2 && (
          <p className="muted">Tick two or more runs to compare their loss curves and settings.</p>
        )
      )}
      {opened && (
        <section className="runs-panel__opened" data-testid="run-metrics" aria-label={`Run ${opened.runDir}`}>
          <h3>
            Run <code>{opened.runDir}</code> · {opened.status}
          </h3>
          <ResultsView
            metrics={opened.metrics}
            runDir={opened.status === 'complete' ? opened.runDir : null}
            misclassified
          />
        </section>
      )}
    </div>
  );
}
