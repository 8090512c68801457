// Horizontal bars, one per named value (column importances or one row's attributions), drawn in
// SVG with the names beside them; negative values extend left of the zero line. An optional
// spread is drawn as a whisker.
import { fmt } from '../metrics.ts';

export interface Bar {
  name: string;
  value: number;
  spread?: number;
}

const ROW = 22;
const LABEL = 140;
const WIDTH = 560;

export function ImportanceBars({ bars, title, testId }: { bars: Bar[]; title: string; testId: string }) {
  const extent = Math.max(1e-12, ...bars.map((b) => Math.abs(b.value) + (b.spread ?? 0)));
  const hasNegative = bars.some((b) => b.value < 0);
  const plot = WIDTH - LABEL - 70;
  const zero = LABEL + (hasNegative ? plot / 2 : 0);
  const scale = (hasNegative ? plot / 2 : plot) / extent;
  return (
    <figure className="explain-bars" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg width={WIDTH} height={bars.length * ROW + 4} role="img" aria-label={title}>
        <line x1={zero} x2={zero} y1={0} y2={bars.length * ROW} className="explain-bars__axis" />
        {bars.map((b, i) => {
          const y = i * ROW + 4;
          const w = Math.abs(b.value) * scale;
          const x = b.value >= 0 ? zero : zero - w;
          return (
            <g key={b.name} data-testid={`${testId}-${b.name}`} data-value={b.value}>
              <title>{`${b.name}: ${fmt(b.value)}${b.spread !== undefined ? ` ± ${fmt(b.spread)}` : ''}`}</title>
              <text x={LABEL - 8} y={y + 12} textAnchor="end" className="explain-bars__name">
                {b.name}
              </text>
              <rect
                x={x}
                y={y}
                width={Math.max(1, w)}
                height={ROW - 8}
                className={b.value >= 0 ? 'explain-bars__bar' : 'explain-bars__bar is-negative'}
              />
              {b.spread !== undefined && b.spread > 0 && (
                <line
                  x1={zero + (b.value - b.spread) * scale}
                  x2={zero + (b.value + b.spread) * scale}
                  y1={y + (ROW - 8) / 2}
                  y2={y + (ROW - 8) / 2}
                  className="explain-bars__spread"
                />
              )}
              <text
                x={Math.max(x + w, zero, zero + (b.value + (b.spread ?? 0)) * scale) + 6}
                y={y + 12}
                className="explain-bars__value"
              >
                {fmt(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
