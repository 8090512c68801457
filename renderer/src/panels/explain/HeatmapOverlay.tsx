// An image with its explanation heat map over it, on a canvas (the same colours as the CLI's
// overlay PNGs, engine/explain/heat-colour.ts), enlarged without smoothing.
import { useEffect, useRef } from 'react';
import { heatAlpha, heatColour } from '../../../../engine/explain/heat-colour.ts';
import type { HeatMap, ImagePixels } from '../../../../engine/explain/types.ts';

export function HeatmapOverlay({
  image,
  heatmap,
  size = 128,
  label,
  testId,
}: {
  image: ImagePixels;
  heatmap: HeatMap;
  size?: number;
  label: string;
  testId: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { width: w, height: h, channels, pixels } = image;
    const data = ctx.createImageData(w, h);
    for (let p = 0; p < w * h; p++) {
      const v = heatmap.values[p] ?? 0;
      const heat = heatColour(v);
      const alpha = heatAlpha(v);
      for (let c = 0; c < 3; c++) {
        const base = pixels[p * channels + (channels >= 3 ? c : 0)];
        data.data[p * 4 + c] = Math.round(base * (1 - alpha) + heat[c] * alpha);
      }
      data.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(data, 0, 0);
  }, [image, heatmap]);
  const scale = size / Math.max(image.width, image.height);
  return (
    <canvas
      ref={ref}
      width={image.width}
      height={image.height}
      className="explain-heatmap"
      style={{ width: image.width * scale, height: image.height * scale }}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
