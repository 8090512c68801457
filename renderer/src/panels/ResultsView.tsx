// After training: test metrics, confusion-matrix heatmap, per-class precision/recall/F1.
import type { ClassMetrics } from '../../../engine/eval/metrics.ts';
import { confusionOf, fmt, perClassOf, scalarMetrics } from './metrics.ts';

export function ResultsView({ metrics }: { metrics: Record<string, unknown> }) {
  const scalars = scalarMetrics(metrics);
  const confusion = confusionOf(metrics);
  const perClass = perClassOf(metrics);
  return (
    <div className="results" data-testid="train-results">
      <section aria-label="Test metrics">
        <h3>Test metrics</h3>
        <dl className="results__metrics">
          {scalars.map(([k, v]) => (
            <div key={k} className="results__metric" data-testid={`metric-${k}`}>
              <dt>{k}</dt>
              <dd>{/acc|precision|recall|f1/i.test(k) && v <= 1 ? `${(v * 100).toFixed(1)}%` : fmt(v)}</dd>
            </div>
          ))}
          {!scalars.length && <p className="muted">The run reported no scalar metrics.</p>}
        </dl>
      </section>
      {confusion && (
        <ConfusionMatrix labels={confusion.labels} matrix={confusion.matrix} perClass={perClass} />
      )}
    </div>
  );
}

function ConfusionMatrix({
  labels,
  matrix,
  perClass,
}: {
  labels: string[];
  matrix: number[][];
  perClass: ClassMetrics[];
}) {
  const report = new Map(perClass.map((c) => [c.className, c]));
  const hasReport = labels.some((l) => report.has(l));
  const max = Math.max(1, ...matrix.flat());
  return (
    <section aria-label="Confusion matrix" data-testid="confusion-matrix">
      <h3>Confusion matrix{hasReport ? ' and per-class precision, recall, F1' : ''}</h3>
      <div className="confusion__scroll">
        <table className={`confusion ${labels.length > 6 ? 'is-dense' : ''}`}>
          <thead>
            <tr>
              <th className="confusion__corner" scope="col">
                true ↓ / predicted →
              </th>
              {labels.map((l) => (
                <th key={l} scope="col">
                  {l}
                </th>
              ))}
              {hasReport && (
                <>
                  <th scope="col" className="confusion__report">
                    precision
                  </th>
                  <th scope="col" className="confusion__report">
                    recall
                  </th>
                  <th scope="col" className="confusion__report">
                    F1
                  </th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, i) => (
              <tr key={labels[i]}>
                <th scope="row">{labels[i]}</th>
                {row.map((v, j) => {
                  const t = v / max;
                  return (
                    <td
                      key={j}
                      className={i === j ? 'is-diagonal' : ''}
                      style={{
                        background: `color-mix(in srgb, var(--${i === j ? 'accent' : 'danger'}) ${Math.round(t * 85)}%, transparent)`,
                      }}
                      aria-label={`true ${labels[i]}, predicted ${labels[j]}: ${v}`}
                    >
                      {v}
                    </td>
                  );
                })}
                {hasReport && (
                  <>
                    <td className="confusion__report">
                      {report.get(labels[i])?.precision.toFixed(3) ?? '—'}
                    </td>
                    <td className="confusion__report">{report.get(labels[i])?.recall.toFixed(3) ?? '—'}</td>
                    <td className="confusion__report">{report.get(labels[i])?.f1.toFixed(3) ?? '—'}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
