// After training: test metrics, confusion-matrix heatmap, per-class precision/recall/F1.
import type { ClassMetrics } from '../../../engine/eval/metrics.ts';
import { useSession } from '../state/session-store.ts';
import { confusionOf, fmt, perClassOf, scalarMetrics } from './metrics.ts';
import { TestPredictionsView } from './TestPredictionsViews.tsx';

/**
 * `runDir`: the run's folder, for what needs its test predictions (the forecast plot; with
 * `misclassified`, the misclassified examples).
 */
export function ResultsView({
  metrics,
  runDir,
  misclassified = false,
}: {
  metrics: Record<string, unknown>;
  runDir?: string | null;
  misclassified?: boolean;
}) {
  const task = metrics.task;
  const wantsPredictions =
    runDir && (task === 'forecast' || task === 'regression' || (misclassified && task === 'classification'));
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
      {wantsPredictions && <TestPredictionsView runDir={runDir} misclassified={misclassified} />}
    </div>
  );
}

/** Cell shading: correct predictions scaled by the largest diagonal count, confusions by the
 *  largest off-diagonal one (against the diagonal they would all look blank). */
function cellShade(matrix: number[][]): (i: number, j: number) => number {
  const diagMax = Math.max(1, ...matrix.map((row, i) => row[i] ?? 0));
  const offMax = Math.max(1, ...matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
  return (i, j) => {
    const v = matrix[i][j];
    return v === 0 ? 0 : 0.12 + 0.73 * (v / (i === j ? diagMax : offMax));
  };
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
  // The cell shading runs towards the text colour: darker in the light theme, brighter in the dark one.
  const theme = useSession((s) => s.theme);
  const report = new Map(perClass.map((c) => [c.className, c]));
  const hasReport = labels.some((l) => report.has(l));
  const shade = cellShade(matrix);
  const dense = labels.length > 6;
  const score = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(dense ? 2 : 3));
  return (
    <section aria-label="Confusion matrix" data-testid="confusion-matrix">
      <h3>Confusion matrix{hasReport ? ' and per-class precision, recall, F1' : ''}</h3>
      <div className="confusion__scroll">
        <table className={`confusion ${dense ? 'is-dense' : ''}`}>
          <thead>
            <tr>
              <th
                className="confusion__corner"
                scope="col"
                title="rows: true class; columns: predicted class"
              >
                true ↓ / predicted →
              </th>
              {labels.map((l) => (
                <th key={l} scope="col" title={`predicted ${l}`}>
                  {l}
                </th>
              ))}
              {hasReport && (
                <>
                  <th scope="col" className="confusion__report">
                    <abbr title="precision">{dense ? 'prec.' : 'precision'}</abbr>
                  </th>
                  <th scope="col" className="confusion__report">
                    <abbr title="recall">{dense ? 'rec.' : 'recall'}</abbr>
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
                <th scope="row" title={`true ${labels[i]}`}>
                  {labels[i]}
                </th>
                {row.map((v, j) => {
                  const t = shade(i, j);
                  return (
                    <td
                      key={j}
                      className={`${i === j ? 'is-diagonal' : ''} ${v === 0 ? 'is-zero' : ''} ${t > 0.55 ? 'is-dark' : ''}`}
                      style={
                        t > 0
                          ? {
                              background: `color-mix(in srgb, var(--${i === j ? 'accent' : 'danger'}) ${Math.round(t * 100)}%, transparent)`,
                            }
                          : undefined
                      }
                      aria-label={`true ${labels[i]}, predicted ${labels[j]}: ${v}`}
                    >
                      {v}
                    </td>
                  );
                })}
                {hasReport && (
                  <>
                    <td className="confusion__report">{score(report.get(labels[i])?.precision)}</td>
                    <td className="confusion__report">{score(report.get(labels[i])?.recall)}</td>
                    <td className="confusion__report">{score(report.get(labels[i])?.f1)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="confusion__key" aria-hidden>
        <span className="confusion__swatch is-correct" /> correct
        <span className="confusion__swatch is-confused" /> confused ·{' '}
        {theme === 'dark' ? 'brighter' : 'darker'} = more
      </p>
    </section>
  );
}
