// Numbers of parameters as people read them.

// Not toLocaleString: it is slow enough to show up when 300 nodes re-render.
/** 1234567 → "1,234,567". */
export const formatCount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const UNITS = ['', 'k', 'M', 'B', 'T'];

/** 80 → "80", 1234 → "1.2k", 34500 → "35k", 3400000 → "3.4M". */
export function formatCompact(n: number): string {
  let unit = 0;
  let v = n;
  while (Math.abs(v) >= 999.5 && unit < UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  if (unit === 0) return String(Math.round(v));
  const text = Math.abs(v) < 9.95 ? v.toFixed(1).replace(/\.0$/, '') : String(Math.round(v));
  return text + UNITS[unit];
}

/** "1 param", "80 params", "1.2k params". */
export const formatParams = (n: number): string => `${formatCompact(n)} ${n === 1 ? 'param' : 'params'}`;
