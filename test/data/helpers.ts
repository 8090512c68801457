// Temp-dir helpers for the data tests: real files on disk, removed afterwards.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { expect } from 'vitest';
import { DataError } from '../../engine/data/index.ts';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netwright-data-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeFile(dir: string, rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** An RGBA image filled by `pixel(x, y)` → [r, g, b]. */
function rgba(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  return data;
}

export function pngBytes(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const png = new PNG({ width, height });
  rgba(width, height, pixel).copy(png.data);
  return PNG.sync.write(png);
}

export function jpegBytes(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  return jpeg.encode({ width, height, data: rgba(width, height, pixel) }, 95).data;
}

/** The DataError a load rejects with (failing the test if it resolves or throws something else). */
export async function dataError(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}

/** A JPEG with an EXIF APP1 segment whose only tag is Orientation (1–8), as cameras write it. */
export function withExifOrientation(jpegFile: Buffer, orientation: number): Buffer {
  // Little-endian TIFF header, one IFD entry: tag 0x0112 (Orientation), type SHORT, count 1.
  const tiff = Buffer.from([
    0x49,
    0x49,
    0x2a,
    0x00,
    0x08,
    0,
    0,
    0,
    0x01,
    0x00,
    0x12,
    0x01,
    0x03,
    0x00,
    0x01,
    0,
    0,
    0,
    orientation,
    0x00,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const size = payload.length + 2;
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, size >> 8, size & 0xff]), payload]);
  return Buffer.concat([jpegFile.subarray(0, 2), app1, jpegFile.subarray(2)]);
}
