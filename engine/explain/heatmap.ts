// Heat maps as plain data: a map scaled to [0, 1], and the box around its hottest region (the
// connected area, around the maximum, of values at least half the maximum), which the overlay and
// the Explain tab draw and the Grad-CAM test compares with the known defect box.
import type { HeatMap } from './types.ts';

export function normalisedHeatMap(values: ArrayLike<number>, width: number, height: number): HeatMap {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return {
    width,
    height,
    values: Array.from(values, (v) => (max > 0 ? Math.max(0, v) / max : 0)),
  };
}

export interface Box {
  x0: number;
  y0: number;
  /** Exclusive ends, in pixels. */
  x1: number;
  y1: number;
}

/** Bounding box of the 4-connected region around the maximum where the map is ≥ threshold × max. */
export function hottestBox(map: HeatMap, threshold = 0.5): Box {
  const { width: w, height: h, values } = map;
  let peak = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[peak]) peak = i;
  const cut = values[peak] * threshold;
  const seen = new Uint8Array(values.length);
  const stack = [peak];
  seen[peak] = 1;
  const box = { x0: w, y0: h, x1: 0, y1: 0 };
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % w;
    const y = (i - x) / w;
    box.x0 = Math.min(box.x0, x);
    box.y0 = Math.min(box.y0, y);
    box.x1 = Math.max(box.x1, x + 1);
    box.y1 = Math.max(box.y1, y + 1);
    const next = [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1];
    for (const j of next)
      if (j >= 0 && !seen[j] && values[j] >= cut) {
        seen[j] = 1;
        stack.push(j);
      }
  }
  return box;
}

/** Intersection over union of two boxes. */
export function boxIoU(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0));
  const ih = Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  const inter = iw * ih;
  const area = (r: Box) => (r.x1 - r.x0) * (r.y1 - r.y0);
  return inter / (area(a) + area(b) - inter || 1);
}
