// What a run predicted on its test split (EngineApi.testPredictions): for regression and forecasts,
// the model against the actual values over the test period beside the naive last-value forecast,
// with both MAEs; for classification, the misclassified samples (images as thumbnails, rows as a
// table), each with a link to the Explain tab for that very sample.
import { useEffect, useMemo, useState } from 'react';
import type { TestPredictions } from '../../../engine/api.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { useExplainTarget } from '../state/explain-store.ts';
import { useSession } from '../state/session-store.ts';
import { LineChart, type LineSeries } from './LineChart.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import { fmt } from './metrics.ts';

/** Misclassified samples shown at most (the count says how many there are). */
const MISCLASSIFIED_SHOWN = 24;

function useTestPredictions(runDir: string): { data: TestPredictions | null; error: string | null } {
  const [state, setState] = useState<{ dir: string; data: TestPredictions | null; error: string | null }>({
    dir: '',
    data: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    engine()
      .testPredictions(runDir, MISCLASSIFIED_SHOWN)
      .then(
        (data) => live && setState({ dir: runDir, data, error: null }),
        (err: unknown) => live && setState({ dir: runDir, data: null, error: errorMessage(err) }),
      );
    return () => {
      live = false;
    };
  }, [runDir]);
  // An answer for another run is never shown under this one.
  return state.dir === runDir ? state : { data: null, error: null };
}

export function TestPredictionsView({ runDir, misclassified }: { runDir: string; misclassified: boolean }) {
  const { data, error } = useTestPredictions(runDir);
  if (error) return <p className="muted">{error}</p>;
  if (!data)
    return (
      <p className="muted" data-testid="test-predictions-loading">
        Reading the test predictions…
      </p>
    );
  if (data.task === 'classification')
    return misclassified ? <Misclassified runDir={runDir} data={data} /> : null;
  return <ForecastPlot data={data} />;
}

function ForecastPlot({ data }: { data: Extract<TestPredictions, { task: 'regression' | 'forecast' }> }) {
  const { x, series } = useMemo(() => {
    const x = data.actual.map((_, i) => i + 1);
    const series: LineSeries[] = [
      { label: 'actual', color: 'var(--text)', values: data.actual },
      { label: 'model', color: 'var(--accent)', values: data.predicted },
    ];
    if (data.naive)
      series.push({ label: 'naive (last value)', color: '#d9822b', values: data.naive, dash: [5, 4] });
    return { x, series };
  }, [data]);
  const better = data.naiveMae !== undefined ? data.mae < data.naiveMae : undefined;
  return (
    <section
      aria-label="Forecast against actual values"
      data-testid="forecast-view"
      className="forecast-view"
    >
      <h3>{data.task === 'forecast' ? 'Forecast' : 'Prediction'} vs actual over the test period</h3>
      <dl className="results__metrics">
        <div className="results__metric" data-testid="forecast-mae">
          <dt>model MAE</dt>
          <dd>{fmt(data.mae)}</dd>
        </div>
        {data.naiveMae !== undefined && (
          <div className="results__metric" data-testid="forecast-naive-mae">
            <dt>naive MAE</dt>
            <dd>{fmt(data.naiveMae)}</dd>
          </div>
        )}
        {better !== undefined && (
          <p className={better ? 'muted' : 'param__error'} data-testid="forecast-verdict">
            {better
              ? `The model's error is ${((1 - data.mae / data.naiveMae!) * 100).toFixed(1)}% below the naive forecast's.`
              : 'The model does no better than repeating the last value: the naive forecast wins.'}
          </p>
        )}
      </dl>
      <LineChart
        title={`${data.target} over ${data.samples} test samples${data.actual.length < data.samples ? ` (every ${Math.ceil(data.samples / data.actual.length)}th shown)` : ''}`}
        x={x}
        series={series}
        xLabel="test sample"
        testId="chart-forecast"
        height={170}
      />
    </section>
  );
}

function Misclassified({
  runDir,
  data,
}: {
  runDir: string;
  data: Extract<TestPredictions, { task: 'classification' }>;
}) {
  const setTab = useSession((s) => s.setTab);
  const explain = (index: number) => {
    useExplainTarget.getState().setTarget(runDir, index);
    setTab('explain');
  };
  const link = (index: number) => (
    <button
      className="btn btn--ghost"
      onClick={() => explain(index)}
      data-testid={`misclassified-explain-${index}`}
      aria-label={`Explain test example ${index}`}
    >
      Explain
    </button>
  );
  const pct = (p: number) => `${(100 * p).toFixed(0)}%`;
  return (
    <section aria-label="Misclassified test examples" data-testid="misclassified" className="misclassified">
      <h3 data-testid="misclassified-count">
        Misclassified test examples: {data.misclassifiedCount} of {data.samples}
        {data.misclassifiedCount > data.examples.length ? ` (the first ${data.examples.length} shown)` : ''}
      </h3>
      {data.examples.length === 0 && <p className="muted">Every test example was classified correctly.</p>}
      {data.kind === 'image' ? (
        <div className="misclassified__grid">
          {data.examples.map((e) =>
            e.image ? (
              <div key={e.index} className="misclassified__item" data-testid={`misclassified-${e.index}`}>
                <Thumbnail
                  thumb={{ ...e.image, channels: e.image.channels === 3 ? 3 : 1, label: e.actual }}
                  index={e.index}
                  testId={`misclassified-image-${e.index}`}
                  caption={
                    <>
                      test {e.index}: <b>{e.actual}</b> → {e.predicted} ({pct(e.probability)})
                    </>
                  }
                />
                {link(e.index)}
              </div>
            ) : null,
          )}
        </div>
      ) : (
        data.examples.length > 0 && (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">test</th>
                  <th scope="col">row</th>
                  <th scope="col">actual</th>
                  <th scope="col">predicted</th>
                  {(data.columns ?? []).map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.examples.map((e) => (
                  <tr key={e.index} data-testid={`misclassified-${e.index}`}>
                    <td>{e.index}</td>
                    <td>{e.sourceRow ?? '—'}</td>
                    <td>{e.actual}</td>
                    <td>
                      {e.predicted} ({pct(e.probability)})
                    </td>
                    {(e.values ?? []).map((v, i) => (
                      <td key={i}>{v === null ? '—' : fmt(v)}</td>
                    ))}
                    <td>{link(e.index)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
    </section>
  );
}
