// The data preview of image datasets carries a few small sample pictures per class, scaled down,
// with the pixels of the real files / generated samples (what the data panel draws on <canvas>).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEngine } from '../../engine/service.ts';
import { pngBytes, tempDir, writeFile } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

it('an image folder previews up to 3 thumbnails per class, scaled to 32 px, grey stays one channel', async () => {
  // 64×48 images: "dark" ones are black, "bright" ones have a white left half and a red right half.
  for (let i = 0; i < 4; i++) {
    writeFile(
      dir,
      `imgs/dark/d${i}.png`,
      pngBytes(64, 48, () => [0, 0, 0]),
    );
    writeFile(
      dir,
      `imgs/bright/b${i}.png`,
      pngBytes(64, 48, (x) => (x < 32 ? [255, 255, 255] : [255, 0, 0])),
    );
  }
  const p = await createEngine().previewData({ source: 'images:imgs' }, `${dir}/p.netwright.json`);
  const thumbs = p.thumbnails!;
  expect(thumbs.map((t) => t.label).sort()).toEqual(['bright', 'bright', 'bright', 'dark', 'dark', 'dark']);
  for (const t of thumbs) {
    expect([t.width, t.height]).toEqual([32, 24]);
    expect(t.pixels).toHaveLength(t.width * t.height * t.channels);
  }
  const dark = thumbs.find((t) => t.label === 'dark')!;
  expect(dark.channels).toBe(1);
  expect(Math.max(...dark.pixels)).toBe(0);
  const bright = thumbs.find((t) => t.label === 'bright')!;
  expect(bright.channels).toBe(3);
  expect(bright.pixels.slice(0, 3)).toEqual([255, 255, 255]); // top-left: white
  expect(bright.pixels.slice((32 - 1) * 3, 32 * 3)).toEqual([255, 0, 0]); // top-right: red
});

it('builtin:defects previews grey 32×32 thumbnails of several classes, stretched to 0..255', async () => {
  const p = await createEngine().previewData(
    { source: 'builtin:defects', samples: 200 },
    `${dir}/p.netwright.json`,
  );
  const thumbs = p.thumbnails!;
  expect(thumbs.length).toBeGreaterThanOrEqual(8);
  expect(new Set(thumbs.map((t) => t.label)).size).toBe(Object.keys(p.classBalance!).length);
  for (const t of thumbs) {
    expect([t.width, t.height, t.channels]).toEqual([32, 32, 1]);
    expect(Math.min(...t.pixels)).toBe(0);
    expect(Math.max(...t.pixels)).toBe(255);
  }
});

it('tabular data has no thumbnails', async () => {
  const p = await createEngine().previewData({ source: 'builtin:iris' }, `${dir}/p.netwright.json`);
  expect(p.thumbnails).toBeUndefined();
});
