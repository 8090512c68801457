// A heat map drawn over its image as a PNG (pngjs): the image in its own colours, the map in the
// ramp of heat-colour.ts whose opacity grows with the value, enlarged (nearest neighbour) so small
// images stay legible.
import { PNG } from 'pngjs';
import { heatAlpha, heatColour } from './heat-colour.ts';
import type { HeatMap } from './types.ts';

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
      const alpha = heatAlpha(v);
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
