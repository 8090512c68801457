// A series window with its integrated-gradients attributions drawn under it, step for step: the
// window's values as a line (the forecast column), the attribution of each time step as a bar.
import { fmt } from '../metrics.ts';

const WIDTH = 560;
const LINE = 110;
const BARS = 90;
const PAD = 40;

export function SeriesAttribution({
  values,
  steps,
  column,
}: {
  values: number[];
  steps: number[];
  column: string;
}) {
  const n = steps.length;
  const x = (t: number) => PAD + ((t + 0.5) * (WIDTH - PAD - 8)) / n;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const y = (v: number) => 8 + (LINE - 16) * (1 - (v - lo) / (hi - lo || 1));
  const extent = Math.max(1e-12, ...steps.map(Math.abs));
  const zero = LINE + BARS / 2;
  const barHeight = (v: number) => (Math.abs(v) / extent) * (BARS / 2 - 4);
  const barWidth = Math.max(2, (WIDTH - PAD - 8) / n - 3);
  const path = values.map((v, t) => `${t === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <figure className="explain-bars" data-testid="explain-series">
      <figcaption>
        The window ({column}, oldest first) and each time step&apos;s attribution under it
      </figcaption>
      <svg
        width={WIDTH}
        height={LINE + BARS}
        role="img"
        aria-label={`Attribution per time step of ${column}`}
      >
        <text x={PAD - 6} y={y(hi) + 4} textAnchor="end" className="explain-bars__value">
          {fmt(hi, 3)}
        </text>
        <text x={PAD - 6} y={y(lo) + 4} textAnchor="end" className="explain-bars__value">
          {fmt(lo, 3)}
        </text>
        <path d={path} className="explain-series__line" />
        <line x1={PAD} x2={WIDTH - 8} y1={zero} y2={zero} className="explain-bars__axis" />
        {steps.map((v, t) => (
          <rect
            key={t}
            x={x(t) - barWidth / 2}
            y={v >= 0 ? zero - barHeight(v) : zero}
            width={barWidth}
            height={Math.max(1, barHeight(v))}
            className={v >= 0 ? 'explain-bars__bar' : 'explain-bars__bar is-negative'}
            data-testid={`explain-step-${t}`}
            data-value={v}
          >
            <title>{`t−${n - t}: value ${fmt(values[t])}, attribution ${fmt(v)}`}</title>
          </rect>
        ))}
      </svg>
    </figure>
  );
}
