// JPEGs stored sideways with an EXIF Orientation tag are turned upright before training, as every
// image viewer shows them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyOrientation, type RgbaImage } from '../../engine/data/exif-orientation.ts';
import { loadDataset } from '../../engine/data/index.ts';
import { jpegBytes, tempDir, withExifOrientation, writeFile } from './helpers.ts';

/** A 3×2 image whose pixel (x, y) has red = 10·y + x, so every pixel is distinguishable. */
const numbered: RgbaImage = {
  width: 3,
  height: 2,
  rgba: Uint8Array.from({ length: 24 }, (_, i) =>
    i % 4 === 0 ? 10 * Math.floor(i / 12) + ((i / 4) % 3) : 255,
  ),
};
const grid = (img: RgbaImage) =>
  Array.from({ length: img.height }, (_, y) =>
    Array.from({ length: img.width }, (_, x) => img.rgba[(y * img.width + x) * 4]),
  );

// Independent reference: the orientations as compositions of a clockwise turn and a mirror.
const turnClockwise = (g: number[][]) => g[0].map((_, x) => g.map((row) => row[x]).reverse());
const mirror = (g: number[][]) => g.map((row) => [...row].reverse());
const reference: Record<number, (g: number[][]) => number[][]> = {
  1: (g) => g,
  2: mirror,
  3: (g) => turnClockwise(turnClockwise(g)),
  4: (g) => mirror(turnClockwise(turnClockwise(g))),
  5: (g) => mirror(turnClockwise(g)),
  6: turnClockwise,
  7: (g) => turnClockwise(mirror(g)),
  8: (g) => turnClockwise(turnClockwise(turnClockwise(g))),
};

describe('EXIF orientation', () => {
  it('each of the 8 orientations matches the turn/mirror it names', () => {
    expect(grid(numbered)).toEqual([
      [0, 1, 2],
      [10, 11, 12],
    ]);
    for (let o = 1; o <= 8; o++) {
      const upright = applyOrientation(numbered, o);
      expect(grid(upright), `orientation ${o}`).toEqual(reference[o](grid(numbered)));
    }
  });

  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('an image folder loads a sideways phone JPEG upright', async () => {
    // Stored 16×8: left half red, right half blue. Orientation 6 shows it turned clockwise (red on
    // top), 8 counter-clockwise (blue on top); without the tag it stays as stored.
    const stored = jpegBytes(16, 8, (x) => (x < 8 ? [255, 0, 0] : [0, 0, 255]));
    writeFile(dir, 'photos/a/plain.jpg', stored);
    writeFile(dir, 'photos/a/turned-cw.jpg', withExifOrientation(stored, 6));
    writeFile(dir, 'photos/b/turned-ccw.jpg', withExifOrientation(stored, 8));
    const ds = await loadDataset(
      { source: 'images:photos' },
      { projectDir: dir, inputShapes: [[4, 4, 3]], seed: 1 },
    );
    // Samples come in folder order: a/plain.jpg, a/turned-cw.jpg, b/turned-ccw.jpg.
    expect(Array.from(ds.labels ?? [])).toEqual([0, 0, 1]);
    const pixels = (i: number) => ds.x[0].data.slice(i * 48, i * 48 + 48);
    const redAt = (img: Float32Array, x: number, y: number) => img[(y * 4 + x) * 3];
    const plain = pixels(0);
    expect(redAt(plain, 0, 0)).toBeGreaterThan(0.9); // left red
    expect(redAt(plain, 3, 0)).toBeLessThan(0.1); // right blue
    const cw = pixels(1);
    expect(redAt(cw, 0, 0)).toBeGreaterThan(0.9); // top red
    expect(redAt(cw, 0, 3)).toBeLessThan(0.1); // bottom blue
    const ccw = pixels(2);
    expect(redAt(ccw, 0, 0)).toBeLessThan(0.1); // top blue
    expect(redAt(ccw, 0, 3)).toBeGreaterThan(0.9); // bottom red
  });
});
