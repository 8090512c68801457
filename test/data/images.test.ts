import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset, previewData } from '../../engine/data/index.ts';
import { dataError, jpegBytes, pngBytes, tempDir, writeFile } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const red = () => [255, 0, 0] as [number, number, number];
const white = () => [255, 255, 255] as [number, number, number];
/** Left half black, right half white. */
const halves = (w: number) => (x: number) =>
  (x < w / 2 ? [0, 0, 0] : [255, 255, 255]) as [number, number, number];

function tinyFolder() {
  writeFile(dir, 'parts/ok/a.png', pngBytes(8, 8, white));
  writeFile(dir, 'parts/ok/b.jpg', jpegBytes(16, 16, white));
  writeFile(dir, 'parts/ok/notes.txt', 'not an image');
  writeFile(dir, 'parts/scratch/c.png', pngBytes(8, 8, halves(8)));
  writeFile(dir, 'parts/scratch/d.jpeg', jpegBytes(8, 8, red));
}

describe('images: folder of class sub-folders', () => {
  it('decodes PNG and JPEG, resizes to the Input, grayscale', async () => {
    tinyFolder();
    const ds = await loadDataset(
      { source: 'images:parts' },
      { projectDir: dir, inputShapes: [[4, 4, 1]], seed: 1 },
    );
    expect(ds.task).toBe('classification');
    expect(ds.classNames).toEqual(['ok', 'scratch']);
    expect(ds.x[0].shape).toEqual([4, 4, 4, 1]);
    expect(Array.from(ds.labels ?? [])).toEqual([0, 0, 1, 1]);
    expect(ds.y.shape).toEqual([4, 2]);
    const img = (i: number) => Array.from(ds.x[0].data.slice(i * 16, i * 16 + 16));
    expect(img(0).every((v) => v === 1)).toBe(true); // white PNG
    expect(img(1).every((v) => Math.abs(v - 1) < 0.02)).toBe(true); // white JPEG (lossy)
    // 8 px black|white halves → 4 px: columns 0-1 black, 2-3 white (bilinear at pixel centres).
    expect(img(2).slice(0, 4)).toEqual([0, 0, 1, 1]);
    // Red in grayscale is the luma weight of red.
    expect(img(3)[5]).toBeCloseTo(0.299, 1);
    expect(ds.warnings).toEqual(['1 file is not PNG or JPEG and was skipped.']);
    expect(ds.encodings).toEqual([{ kind: 'image', height: 4, width: 4, channels: 1 }]);
  });

  it('RGB when the Input has 3 channels', async () => {
    tinyFolder();
    const ds = await loadDataset(
      { source: 'images:parts' },
      { projectDir: dir, inputShapes: [[2, 2, 3]], seed: 1 },
    );
    expect(ds.x[0].shape).toEqual([4, 2, 2, 3]);
    const redPixel = Array.from(ds.x[0].data.slice(3 * 12, 3 * 12 + 3));
    expect(redPixel[0]).toBeGreaterThan(0.95);
    expect(redPixel[1]).toBeLessThan(0.05);
    expect(redPixel[2]).toBeLessThan(0.05);
  });

  it('a class folder with no images is an error naming it', async () => {
    tinyFolder();
    writeFile(dir, 'parts/crack/readme.txt', 'todo');
    const e = await dataError(
      loadDataset({ source: 'images:parts' }, { projectDir: dir, inputShapes: [[4, 4, 1]], seed: 1 }),
    );
    expect(e.message).toBe(`The class folder ${dir}/parts/crack has no PNG or JPEG images.`);
  });

  it('an image that will not decode is an error naming the file', async () => {
    tinyFolder();
    const broken = pngBytes(8, 8, white).subarray(0, 40); // a truncated PNG
    writeFile(dir, 'parts/scratch/e.png', broken);
    const e = await dataError(
      loadDataset({ source: 'images:parts' }, { projectDir: dir, inputShapes: [[4, 4, 1]], seed: 1 }),
    );
    expect(e.message).toMatch(new RegExp(`^The image ${dir}/parts/scratch/e\\.png cannot be decoded`));
    writeFile(dir, 'parts/scratch/e.png', 'plain text pretending to be a png');
    const e2 = await dataError(
      loadDataset({ source: 'images:parts' }, { projectDir: dir, inputShapes: [[4, 4, 1]], seed: 1 }),
    );
    expect(e2.message).toBe(`The image ${dir}/parts/scratch/e.png is not a PNG or JPEG file.`);
  });

  it('missing folder, no class folders, and an Input that is not an image shape', async () => {
    expect(
      (
        await dataError(
          loadDataset({ source: 'images:nowhere' }, { projectDir: dir, inputShapes: [[4, 4, 1]], seed: 1 }),
        )
      ).message,
    ).toMatch(/does not exist/);
    writeFile(dir, 'flat/a.png', pngBytes(2, 2, white));
    expect(
      (
        await dataError(
          loadDataset({ source: 'images:flat' }, { projectDir: dir, inputShapes: [[4, 4, 1]], seed: 1 }),
        )
      ).message,
    ).toMatch(/has no class sub-folders/);
    tinyFolder();
    expect(
      (
        await dataError(
          loadDataset({ source: 'images:parts' }, { projectDir: dir, inputShapes: [[16]], seed: 1 }),
        )
      ).message,
    ).toMatch(/Input shape must be \[height, width, channels\]/);
  });

  it('preview lists classes, files and balance without decoding everything', async () => {
    tinyFolder();
    const p = await previewData({ source: 'images:parts' }, dir);
    expect(p.count).toBe(4);
    expect(p.classBalance).toEqual({ ok: 2, scratch: 2 });
    expect(p.rows[0]).toEqual(['ok', 'ok/a.png']);
    expect(p.summary.file).toMatchObject({ firstImage: { width: 8, height: 8 } });
  });
});
