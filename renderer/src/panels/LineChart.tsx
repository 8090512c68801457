// A live line chart (uPlot): cheap updates (setData) so hundreds of points stay smooth.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { useSession } from '../state/session-store.ts';
import 'uplot/dist/uPlot.min.css';

export interface LineSeries {
  label: string;
  color: string;
  values: (number | null)[];
  dash?: number[];
  /** A thin line with small markers (many points, e.g. per batch). */
  thin?: boolean;
}

interface Props {
  title: string;
  x: number[];
  series: LineSeries[];
  testId?: string;
  height?: number;
  xLabel?: string;
  emptyText?: string;
  /** What data-points reports (tests and screen readers), when not every x is a point of note. */
  pointCount?: number;
  /** x is a count (epochs): ticks only at whole numbers, and a lone point gets a range around it. */
  integerTicks?: boolean;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Canvas can't read CSS variables: resolve `var(--x)` to the current theme's colour. */
function resolveColor(color: string): string {
  const m = /^var\((--[\w-]+)\)$/.exec(color);
  return m ? cssVar(m[1], '#888') : color;
}

/** Markers only while a series has few points (one epoch draws no line). */
const fewPoints = (u: uPlot, seriesIdx: number) => {
  let n = 0;
  for (const v of u.data[seriesIdx]) if (v !== null && v !== undefined && ++n >= 12) return false;
  return true;
};

const yAxisSize = (values: string[] | null) =>
  Math.max(44, 12 + 7 * Math.max(0, ...(values ?? []).map((v) => String(v).length)));

/** Whole-number tick steps for an epoch axis. */
const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

export function LineChart({
  title,
  x,
  series,
  testId,
  height = 150,
  xLabel = 'epoch',
  emptyText,
  pointCount,
  integerTicks,
}: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shapeKey = series.map((s) => s.label).join('|');
  const theme = useSession((s) => s.theme);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axisColor = cssVar('--text-muted', '#666');
    const gridColor = cssVar('--grid', '#ddd');
    const axis = {
      stroke: axisColor,
      grid: { stroke: gridColor, width: 1 },
      ticks: { stroke: gridColor, width: 1 },
      font: '11px system-ui',
    };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: {
          time: false,
          ...(integerTicks
            ? {
                range: (_u: uPlot, min: number, max: number) =>
                  [Math.min(0, min), Math.max(max, 1)] as uPlot.Range.MinMax,
              }
            : {}),
        },
      },
      axes: [
        { ...axis, size: 28, ...(integerTicks ? { incrs: INTEGER_STEPS } : {}) },
        // Wide enough for the longest tick label (a price axis reads "3,500").
        { ...axis, size: (_u: uPlot, values: string[] | null) => yAxisSize(values) },
      ],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: resolveColor(s.color),
          width: s.thin ? 1 : 2,
          dash: s.dash,
          spanGaps: true,
          points: { show: fewPoints, size: s.thin ? 3 : 5 },
        })),
      ],
    };
    const u = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(el.clientWidth, 200), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Re-create only when the set of series, the height or the theme change; data flows via setData.
  }, [shapeKey, height, theme, integerTicks]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [x, series]);

  return (
    <figure
      className="chart"
      data-testid={testId}
      data-points={pointCount ?? x.length}
      data-x-count={x.length}
      aria-label={`${title} chart, ${pointCount ?? x.length} points`}
    >
      <figcaption>
        <span>{title}</span>
        <span className="chart__legend">
          {series.map((s) => (
            <span key={s.label} className="chart__key">
              <span
                className={`chart__swatch ${s.dash ? 'is-dashed' : ''}`}
                style={{ borderColor: s.color }}
              />
              {s.label}
              {s.values.length > 0 && s.values[s.values.length - 1] !== null && (
                <b>{Number((s.values[s.values.length - 1] as number).toPrecision(3))}</b>
              )}
            </span>
          ))}
        </span>
      </figcaption>
      <div ref={host} className="chart__plot" />
      {x.length === 0 && (
        <div className="chart__empty">{emptyText ?? 'Curves appear here while the model trains.'}</div>
      )}
    </figure>
  );
}
