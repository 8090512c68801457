// Training dashboard: settings, Train/Stop, live curves, speed and ETA, results of the finished run.
import { memo, useMemo } from 'react';
import type { TrainingConfig } from '../../../engine/project/schema.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { useEditor } from '../state/editor-store.ts';
import { useSession, type TrainingSession } from '../state/session-store.ts';
import { LineChart, type LineSeries } from './LineChart.tsx';
import { ResultsView } from './ResultsView.tsx';
import { TestPredictionsView } from './TestPredictionsViews.tsx';
import { accuracyOf, fmt, formatDuration } from './metrics.ts';

const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop', 'adagrad'] as const;
type EarlyStopping = { patience: number; monitor?: string } | undefined;

export async function startTraining(): Promise<void> {
  const editor = useEditor.getState();
  const session = useSession.getState();
  if (!editor.inspection.valid) {
    editor.notify('Fix the graph problems (red badges) before training.', 'error');
    return;
  }
  session.trainingStarting();
  try {
    const { jobId, attached } = await engine().startTraining({
      project: editor.toProject(),
      projectPath: editor.projectPath ?? undefined,
    });
    useSession.getState().trainingStarted(jobId);
    if (attached) editor.notify('This project is already training; showing that run.');
  } catch (err) {
    useSession.getState().trainingFailed(errorMessage(err));
  }
}

export async function stopTraining(): Promise<void> {
  const { training, trainingStopping } = useSession.getState();
  if (!training.jobId || !['running', 'starting'].includes(training.status)) return;
  trainingStopping();
  try {
    await engine().stopTraining(training.jobId);
  } catch (err) {
    useSession.getState().trainingFailed(errorMessage(err));
  }
}

/** "after 12 of 500 epochs" when a complete run ended before its epoch limit (early stopping). */
function earlyStopText(t: TrainingSession): string | null {
  const last = t.epochs[t.epochs.length - 1]?.epoch;
  const planned = t.progress?.epochs;
  return t.status === 'complete' && last !== undefined && planned !== undefined && last < planned
    ? `stopped early after ${last} of ${planned} epochs`
    : null;
}

function statusText(
  status: string,
  message: string | null,
  accuracy: number | null,
  queuePosition: number | null,
): string {
  if (queuePosition !== null && (status === 'starting' || status === 'running'))
    return `Queued, position ${queuePosition}: waiting for a free training slot…`;
  switch (status) {
    case 'idle':
      return 'Ready to train.';
    case 'starting':
      return 'Preparing data and compiling…';
    case 'running':
      return 'Training…';
    case 'stopping':
      return 'Stopping…';
    case 'complete':
      return accuracy !== null ? `Complete · test accuracy ${(accuracy * 100).toFixed(1)}%` : 'Complete.';
    case 'cancelled':
      return message ?? 'Stopped.';
    default:
      return `Failed: ${message ?? 'unknown error'}`;
  }
}

/** Which backend the run uses and, in plain words, why (not only in the top bar badge's tooltip). */
function BackendLine({ backend }: { backend: { label: string; reason: string } }) {
  return (
    <span className="muted train-panel__backend" data-testid="train-backend">
      on {backend.label}
      {backend.reason && ` — ${backend.reason}`}
    </span>
  );
}

/** memo: the panel re-renders with every progress update; the settings form need not. */
const Settings = memo(function Settings() {
  const training = useEditor((s) => s.meta.training) ?? {};
  const setMeta = useEditor((s) => s.setMeta);
  const busy = useSession((s) => ['starting', 'running', 'stopping'].includes(s.training.status));
  const update = (patch: Partial<TrainingConfig> & { earlyStopping?: EarlyStopping }) =>
    setMeta({ training: { ...training, ...patch } as TrainingConfig });
  const num = (text: string, fallback: number) =>
    text.trim() === '' || !Number.isFinite(Number(text)) ? fallback : Number(text);
  const early = (training as { earlyStopping?: EarlyStopping }).earlyStopping;
  return (
    <fieldset className="train-settings" disabled={busy} aria-label="Training settings">
      <label>
        Optimizer
        <select
          value={training.optimizer?.type ?? 'adam'}
          onChange={(e) =>
            update({
              optimizer: { ...training.optimizer, type: e.target.value as (typeof OPTIMIZERS)[number] },
            })
          }
          data-testid="train-optimizer"
        >
          {OPTIMIZERS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <label>
        Learning rate
        <input
          type="number"
          step="any"
          min={0}
          defaultValue={training.optimizer?.learningRate ?? 0.01}
          key={`lr${training.optimizer?.learningRate}`}
          onBlur={(e) =>
            update({
              optimizer: {
                type: training.optimizer?.type ?? 'adam',
                learningRate: num(e.target.value, 0.01),
              },
            })
          }
          data-testid="train-lr"
        />
      </label>
      <label>
        Epochs
        <input
          type="number"
          min={1}
          step={1}
          value={training.epochs ?? 20}
          onChange={(e) => update({ epochs: Math.max(1, Math.round(num(e.target.value, 20))) })}
          data-testid="train-epochs"
        />
      </label>
      <label>
        Batch size
        <input
          type="number"
          min={1}
          step={1}
          value={training.batchSize ?? 32}
          onChange={(e) => update({ batchSize: Math.max(1, Math.round(num(e.target.value, 32))) })}
          data-testid="train-batch-size"
        />
      </label>
      <label>
        Validation
        <input
          type="number"
          min={0}
          max={0.9}
          step={0.05}
          value={training.validationSplit ?? 0}
          onChange={(e) => update({ validationSplit: Math.min(0.9, Math.max(0, num(e.target.value, 0.1))) })}
          data-testid="train-validation"
        />
      </label>
      <label className="train-settings__check">
        <input
          type="checkbox"
          checked={!!early}
          onChange={(e) =>
            update({ earlyStopping: e.target.checked ? { patience: 5, monitor: 'val_loss' } : undefined })
          }
          data-testid="train-early-stopping"
        />
        Early stop
      </label>
      {early && (
        <label>
          Patience
          <input
            type="number"
            min={1}
            step={1}
            value={early.patience}
            onChange={(e) =>
              update({
                earlyStopping: { ...early, patience: Math.max(1, Math.round(num(e.target.value, 5))) },
              })
            }
            aria-label="Early stopping patience (epochs)"
          />
        </label>
      )}
    </fieldset>
  );
});

/**
 * The loss chart's curves on one x axis in epochs: the running loss of each batch as it trains (so the
 * first epoch is not an empty chart), and the per-epoch train and validation losses at whole epochs.
 */
function lossCurves(
  pts: TrainingSession['epochs'],
  batches: TrainingSession['batches'],
): { x: number[]; series: LineSeries[] } {
  const byEpoch = new Map(pts.map((p) => [p.epoch, p]));
  const byStep = new Map(batches.map((b) => [b.step, b.loss]));
  const x = [...new Set([...byStep.keys(), ...byEpoch.keys()])].sort((a, b) => a - b);
  const series: LineSeries[] = [
    { label: 'batches', color: 'var(--chart-3)', values: x.map((s) => byStep.get(s) ?? null), thin: true },
    { label: 'train', color: 'var(--chart-1)', values: x.map((s) => byEpoch.get(s)?.loss ?? null) },
  ];
  if (pts.some((p) => p.valLoss !== undefined))
    series.push({
      label: 'val',
      color: 'var(--chart-2)',
      values: x.map((s) => byEpoch.get(s)?.valLoss ?? null),
      dash: [5, 4],
    });
  return { x, series };
}

export function TrainingPanel() {
  const t = useSession((s) => s.training);
  const backend = useSession((s) => s.backend);
  const busy = ['starting', 'running', 'stopping'].includes(t.status);
  const accuracy = accuracyOf(t.metrics);
  const earlyStop = earlyStopText(t);

  const { x, lossSeries, metricSeries, metricName } = useMemo(() => {
    const pts = t.epochs;
    const x = pts.map((p) => p.epoch);
    const metricName = Object.keys(pts[pts.length - 1]?.metrics ?? {}).find((k) => k !== 'loss') ?? null;
    const metricSeries: LineSeries[] = metricName
      ? [
          { label: 'train', color: 'var(--chart-1)', values: pts.map((p) => p.metrics[metricName] ?? null) },
          {
            label: 'val',
            color: 'var(--chart-2)',
            values: pts.map((p) => p.valMetrics?.[metricName] ?? null),
            dash: [5, 4],
          },
        ]
      : [];
    return { x, lossSeries: lossCurves(pts, t.batches), metricSeries, metricName };
  }, [t.epochs, t.batches]);

  const p = t.progress;
  const pct = p
    ? Math.min(
        100,
        ((p.epoch - 1 + (p.batch !== undefined && p.batches ? p.batch / p.batches : 1)) / p.epochs) * 100,
      )
    : 0;

  return (
    <div className="train-panel">
      <div className="train-panel__bar">
        <Settings />
        <div className="train-panel__actions">
          <button
            className="btn btn--primary"
            data-testid="train-button"
            onClick={() => void startTraining()}
            disabled={busy}
            aria-label="Train the model (F5)"
          >
            ▶ Train
          </button>
          <button
            className="btn btn--danger"
            data-testid="stop-button"
            onClick={() => void stopTraining()}
            disabled={!busy || t.status === 'stopping'}
            aria-label="Stop training"
          >
            ■ Stop
          </button>
        </div>
      </div>
      <div className="train-panel__status">
        <span
          className={`status-pill is-${t.status}`}
          data-testid="train-status"
          data-status={t.status}
          role="status"
          aria-live="polite"
        >
          {statusText(t.status, t.message, accuracy, t.queuePosition)}
        </span>
        {earlyStop && (
          <span className="muted" data-testid="train-early-stopped">
            {earlyStop}
          </span>
        )}
        {p && (
          <span className="train-panel__progress">
            epoch {Math.min(p.epoch, p.epochs)}/{p.epochs} · loss {fmt(p.loss)}
            {p.valLoss !== undefined && ` · val ${fmt(p.valLoss)}`} ·{' '}
            {Math.round(p.samplesPerSec).toLocaleString('en-US')} samples/s
            {busy && ` · ETA ${p.etaSec === undefined ? 'measuring…' : formatDuration(p.etaSec)}`}
          </span>
        )}
        {(t.backend ?? backend) && <BackendLine backend={(t.backend ?? backend)!} />}
        {busy && (
          <div
            className="progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(pct)}
            aria-label="Training progress"
          >
            <div style={{ width: `${pct}%` }} />
          </div>
        )}
      </div>
      {t.warnings.length > 0 && (
        <ul className="train-panel__warnings" data-testid="train-warnings" aria-label="Training warnings">
          {t.warnings.map((w) => (
            <li key={w} role="alert">
              <span aria-hidden>⚠</span> {w}
            </li>
          ))}
        </ul>
      )}
      <div className={`train-panel__body ${t.metrics && t.status === 'complete' ? 'has-results' : ''}`}>
        <div className="train-panel__charts">
          <LineChart
            title="Loss"
            x={lossSeries.x}
            series={lossSeries.series}
            testId="chart-loss"
            pointCount={x.length}
            integerTicks
          />
          {metricName && (
            <LineChart title={metricName} x={x} series={metricSeries} testId="chart-metric" integerTicks />
          )}
        </div>
        {t.metrics && t.status === 'complete' && <ResultsView metrics={t.metrics} />}
      </div>
      {/* Full width below the charts: the test period needs the room. */}
      {t.metrics &&
        t.status === 'complete' &&
        t.runDir &&
        (t.metrics.task === 'forecast' || t.metrics.task === 'regression') && (
          <TestPredictionsView runDir={t.runDir} misclassified={false} />
        )}
    </div>
  );
}
