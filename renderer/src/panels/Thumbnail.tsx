// One sample image of an image dataset, drawn from the preview's pixels onto a <canvas> (scaled up
// with CSS, pixelated, so small images stay crisp).
import { memo, useEffect, useRef, type ReactNode } from 'react';
import type { DataThumbnail } from '../../../engine/api.ts';

function ThumbnailImpl({
  thumb,
  index,
  testId,
  caption,
}: {
  thumb: DataThumbnail;
  index: number;
  testId?: string;
  caption?: ReactNode;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(thumb.width, thumb.height);
    const { pixels, channels } = thumb;
    for (let p = 0, q = 0; p < thumb.width * thumb.height; p++, q += channels) {
      const r = pixels[q];
      img.data[p * 4] = r;
      img.data[p * 4 + 1] = channels === 3 ? pixels[q + 1] : r;
      img.data[p * 4 + 2] = channels === 3 ? pixels[q + 2] : r;
      img.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [thumb]);
  return (
    <figure className="thumb" data-testid={testId ?? `data-thumbnail-${index}`}>
      <canvas
        ref={ref}
        width={thumb.width}
        height={thumb.height}
        role="img"
        aria-label={`Sample of class ${thumb.label}`}
      />
      <figcaption>{caption ?? thumb.label}</figcaption>
    </figure>
  );
}

export const Thumbnail = memo(ThumbnailImpl);
