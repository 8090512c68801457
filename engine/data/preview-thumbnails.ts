// Small pictures of a few samples per class for the data preview of image datasets (image folders,
// builtin:mnist, builtin:defects): at most THUMBS_PER_CLASS per class and MAX_THUMBS in all, each
// scaled down to MAX_SIDE pixels a side, so the preview stays a few tens of KB of JSON.
import { promises as fs } from 'node:fs';
import type { DataThumbnail } from '../api.ts';
import { decodeImage, type ImageListing } from './images.ts';

const THUMBS_PER_CLASS = 3;
const MAX_THUMBS = 18;
const MAX_SIDE = 32;

/** Indices of the first few samples of each class, classes taking turns. */
function pickPerClass(labels: ArrayLike<number>, classCount: number): number[] {
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const bucket = byClass[labels[i]];
    if (bucket && bucket.length < THUMBS_PER_CLASS) bucket.push(i);
  }
  const out: number[] = [];
  for (let round = 0; round < THUMBS_PER_CLASS; round++) {
    for (const bucket of byClass)
      if (round < bucket.length && out.length < MAX_THUMBS) out.push(bucket[round]);
  }
  return out;
}

/**
 * Nearest-neighbour downscale of an image given by a pixel reader to at most MAX_SIDE a side.
 * `at(x, y, c)` returns a value in 0..255.
 */
function scaled(
  width: number,
  height: number,
  channels: 1 | 3,
  at: (x: number, y: number, c: number) => number,
) {
  const f = Math.max(1, Math.max(width, height) / MAX_SIDE);
  const w = Math.max(1, Math.round(width / f));
  const h = Math.max(1, Math.round(height / f));
  const pixels: number[] = new Array(w * h * channels);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.floor(y * f));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.floor(x * f));
      for (let c = 0; c < channels; c++) pixels[(y * w + x) * channels + c] = Math.round(at(sx, sy, c));
    }
  }
  return { width: w, height: h, channels, pixels };
}

/** Thumbnails from an image folder: decodes only the few files shown. */
export async function folderThumbnails(listing: ImageListing): Promise<DataThumbnail[]> {
  const picked = pickPerClass(
    listing.files.map((f) => f.label),
    listing.classNames.length,
  );
  const out: DataThumbnail[] = [];
  for (const i of picked) {
    const { file, label } = listing.files[i];
    const img = decodeImage(await fs.readFile(file), file);
    let colour = false;
    for (let p = 0; p < img.rgba.length && !colour; p += 4)
      colour = img.rgba[p] !== img.rgba[p + 1] || img.rgba[p] !== img.rgba[p + 2];
    const channels = colour ? 3 : 1;
    out.push({
      label: listing.classNames[label],
      ...scaled(img.width, img.height, channels, (x, y, c) => img.rgba[(y * img.width + x) * 4 + c]),
    });
  }
  return out;
}

/** Thumbnails from an image tensor [N, height, width, channels] (any value range: each is stretched to 0..255). */
export function tensorThumbnails(t: {
  x: Float32Array;
  shape: number[];
  labels: Int32Array;
  classNames: string[];
}): DataThumbnail[] | undefined {
  if (t.shape.length !== 4) return undefined;
  const [, height, width, ch] = t.shape;
  const size = height * width * ch;
  return pickPerClass(t.labels, t.classNames.length).map((i) => {
    const base = i * size;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < size; k++) {
      const v = t.x[base + k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi > lo ? hi - lo : 1;
    const channels = ch === 3 ? 3 : 1;
    const image = scaled(
      width,
      height,
      channels,
      (x, y, c) => ((t.x[base + (y * width + x) * ch + c] - lo) / range) * 255,
    );
    return { label: t.classNames[t.labels[i]], ...image };
  });
}
