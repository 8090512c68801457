// The heat-map colour ramp (blue → green → yellow → red), shared by the overlay PNGs and the
// Explain tab so both draw the same picture. Pure: the renderer imports it.

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
  const mix = (c: number) => Math.round(stops[i][c] * (1 - f) + stops[i + 1][c] * f);
  return [mix(0), mix(1), mix(2)];
}

/** Opacity of the heat colour over the image at value v: hot areas cover, cold ones let it show. */
export const heatAlpha = (v: number) => 0.65 * Math.min(1, Math.max(0, v));
