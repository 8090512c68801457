// A heat map drawn over its image as a PNG (pngjs): the image in its own colours, the map in a
// blue → green → yellow → red ramp whose opacity grows with the value, enlarged (nearest
// neighbour) so small images stay legible.
import { PNG } from 'pngjs';
import type { HeatMap } from './types.ts';

/** The ramp colour of v ∈ [0, 1] as [r, g, b] in 0..255. */
export function heatColour(v: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [40, 60, 230],
    [40, 200, 90],
    [250, 220, 40],
    [230, 40, 30],
  ];
  const t = Math.min(1, Math.max(0, v)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(t));
  const f = t - i;
  return [0, 1, 2].map((c) => Math.round(stops[i][c] * (1 - f) + stops[i + 1][c] * f)) as [
    number,
    number,
    number,
  ];
}

/**
 * PNG bytes of `pixels` (row-major height × width × channels, values in 0..1) with `map` over it.
 * The output is at least `minSide` pixels on its shorter side.
 */
export function overlayPng(pixels: ArrayLike<number>, channels: number, map: HeatMap, minSide = 256): Buffer {
  const { width: w, height: h } = map;
  const zoom = Math.max(1, Math.ceil(minSide / Math.min(w, h)));
  const png = new PNG({ width: w * zoom, height: h * zoom });
  for (let y = 0; y < h * zoom; y++) {
    for (let x = 0; x < w * zoom; x++) {
      const p = Math.floor(y / zoom) * w + Math.floor(x / zoom);
      const v = map.values[p];
      const heat = heatColour(v);
      const alpha = 0.65 * v;
      const o = (y * w * zoom + x) * 4;
      for (let c = 0; c < 3; c++) {
        const base = 255 * Math.min(1, Math.max(0, pixels[p * channels + (channels === 3 ? c : 0)]));
        png.data[o + c] = Math.round(base * (1 - alpha) + heat[c] * alpha);
      }
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
