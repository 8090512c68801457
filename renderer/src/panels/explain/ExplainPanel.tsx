// The Explain tab: what a trained run learned (docs/EXPLAIN.md). Column importances as bars with
// the column names, one sample's attributions (per column, and per time step for series), or heat
// maps over test images; each method's caveat in one line under its result.
import { useEffect, useState } from 'react';
import type { ExplainResult } from '../../../../engine/api.ts';
import { EXPLAIN_METHODS, IMAGE_METHODS, type ExplainMethod } from '../../../../engine/explain/types.ts';
import { engine } from '../../engine/client.ts';
import { useExplainTarget } from '../../state/explain-store.ts';
import { useSession } from '../../state/session-store.ts';
import { HeatmapOverlay } from './HeatmapOverlay.tsx';
import { ImportanceBars } from './ImportanceBars.tsx';
import { SeriesAttribution } from './SeriesAttribution.tsx';

const METHOD_LABELS: Record<ExplainMethod, string> = {
  permutation: 'Permutation importance (tables, series)',
  integratedGradients: 'Integrated gradients (tables, series)',
  gradCam: 'Grad-CAM (images)',
  layerCam: 'Layer-CAM (images)',
  saliency: 'Saliency (images)',
  smoothGrad: 'SmoothGrad (images)',
};

const started = (iso: string) => new Date(iso).toLocaleString();

function ResultView({ result }: { result: ExplainResult }) {
  if (result.method === 'permutation')
    return (
      <ImportanceBars
        title={`Drop in test ${result.metric} when a column is shuffled (mean ± std over ${result.repeats} shuffles of ${result.samples} samples)`}
        bars={result.features.map((f) => ({ name: f.name, value: f.importance, spread: f.std }))}
        testId="explain-bars"
      />
    );
  if (result.method === 'integratedGradients') {
    const p = result.predictions[0];
    return (
      <div className="explain-result">
        {p && (
          <>
            <p data-testid="explain-sample">
              {p.row}: {p.target.name} {p.prediction.toPrecision(4)} against{' '}
              {p.baselinePrediction.toPrecision(4)} for the average training row
              {p.actual !== undefined ? ` (actual ${p.actual})` : ''}; the attributions add up to the
              difference (error {p.completenessError.toExponential(1)}).
            </p>
            {p.steps && p.window && (
              <SeriesAttribution
                steps={p.steps}
                column={p.target.name in p.window ? p.target.name : Object.keys(p.window)[0]}
                values={p.window[p.target.name] ?? Object.values(p.window)[0]}
              />
            )}
            {Object.keys(p.attributions).length > 1 && (
              <ImportanceBars
                title={`Attribution per column for ${p.row}`}
                bars={Object.entries(p.attributions)
                  .map(([name, value]) => ({ name, value }))
                  .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))}
                testId="explain-bars"
              />
            )}
          </>
        )}
      </div>
    );
  }
  return (
    <div className="explain-images" data-testid="explain-images">
      {result.layer && (
        <p className="muted">
          {result.method === 'layerCam' ? 'Layer-CAM' : 'Grad-CAM'} on layer {result.layer} (of{' '}
          {result.layers?.join(', ')}){result.mirrors && ', averaged over the mirror images'}
        </p>
      )}
      <div className="explain-images__grid">
        {result.examples.map((e) => (
          <figure key={e.row} className="explain-images__item">
            {e.image && (
              <HeatmapOverlay
                image={e.image}
                heatmap={e.heatmap}
                label={`${result.method} heat map of ${e.row} for ${e.target.name}`}
                testId={`explain-heatmap-${e.row.replace(/\s+/g, '-')}`}
              />
            )}
            <figcaption>
              {e.row}: predicted {e.predicted} ({(100 * e.probability).toFixed(0)}%)
              {e.actual !== undefined && (
                <span className={e.actual === e.predicted ? '' : 'explain-miss'}> · actual {e.actual}</span>
              )}
              <br />
              explains {e.target.name}
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}

export function ExplainPanel() {
  const runs = useSession((s) => s.runs).filter((r) => r.status === 'complete');
  const target = useExplainTarget();
  const [method, setMethod] = useState<ExplainMethod | ''>('');
  const [example, setExample] = useState('');
  const [className, setClassName] = useState('');
  const [mirrors, setMirrors] = useState(false);
  const [result, setResult] = useState<ExplainResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const runDir = target.runDir ?? runs[0]?.runDir ?? '';
  const imageMethod = (IMAGE_METHODS as readonly string[]).includes(method);

  useEffect(() => {
    if (target.example !== null) setExample(String(target.example));
  }, [target.example]);

  const explain = async () => {
    setBusy(true);
    setError(null);
    try {
      const n = example.trim() === '' ? undefined : Number(example);
      setResult(
        await engine().explain({
          runDir,
          ...(method ? { method } : {}),
          ...(n !== undefined && Number.isInteger(n) && method !== 'permutation' ? { examples: [n] } : {}),
          ...(className.trim() ? { className: className.trim() } : {}),
          ...(imageMethod && mirrors ? { mirrors: true } : {}),
          withImages: true,
        }),
      );
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (runs.length === 0) return <p className="muted">Train the project to explain what its model learned.</p>;
  return (
    <div className="explain-panel">
      <div className="panel-toolbar">
        <label>
          Run{' '}
          <select value={runDir} onChange={(e) => target.setTarget(e.target.value)} data-testid="explain-run">
            {runs.map((r) => (
              <option key={r.runDir} value={r.runDir}>
                {started(r.startedAt)} · {r.projectName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Method{' '}
          <select
            value={method}
            onChange={(e) => setMethod(e.target.value as ExplainMethod | '')}
            data-testid="explain-method"
          >
            <option value="">Automatic</option>
            {EXPLAIN_METHODS.map((m) => (
              <option key={m} value={m}>
                {METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Test example{' '}
          <input
            className="explain-panel__number"
            inputMode="numeric"
            placeholder="first few"
            value={example}
            onChange={(e) => setExample(e.target.value)}
            data-testid="explain-example"
          />
        </label>
        <label>
          Class{' '}
          <input
            className="explain-panel__class"
            placeholder="predicted"
            value={className}
            onChange={(e) => setClassName(e.target.value)}
            data-testid="explain-class"
          />
        </label>
        {imageMethod && (
          <label
            className="explain-panel__toggle"
            title="Average each heat map over the image and its mirror images (for images whose class does not depend on orientation)"
          >
            <input
              type="checkbox"
              checked={mirrors}
              onChange={(e) => setMirrors(e.target.checked)}
              data-testid="explain-mirrors"
            />
            Mirror-averaged
          </label>
        )}
        <button
          className="btn btn--primary"
          onClick={() => void explain()}
          disabled={busy || !runDir}
          data-testid="explain-button"
        >
          {busy ? 'Explaining…' : 'Explain'}
        </button>
      </div>
      {error && (
        <p className="param__error" data-testid="explain-error">
          {error}
        </p>
      )}
      {result && (
        <section className="explain-panel__result" data-testid="explain-result" data-method={result.method}>
          <ResultView result={result} />
          <p className="explain-caveat" data-testid="explain-caveat">
            Caveat: {result.caveat}
          </p>
        </section>
      )}
    </div>
  );
}
