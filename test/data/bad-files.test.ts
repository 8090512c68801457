// Files users really have: a PNG or JPEG cut short or damaged gets our sentence (not the decoder
// library's words), and CSVs saved as UTF-16 ("Unicode text" in spreadsheets), with or without a
// byte-order mark, read exactly like their UTF-8 twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { decodeImage } from '../../engine/data/images.ts';
import { readCsvFile } from '../../engine/data/table.ts';
import { DataError } from '../../engine/data/types.ts';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-bad-files-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const messageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
};

describe('damaged images', () => {
  const png = new PNG({ width: 16, height: 16 });
  png.data.fill(100);
  const goodPng = PNG.sync.write(png);
  const goodJpeg = Buffer.from(jpeg.encode({ width: 16, height: 16, data: Buffer.alloc(1024, 90) }, 80).data);

  it.each([
    ['a PNG cut short', goodPng.subarray(0, 60), 'PNG'],
    [
      'a PNG with junk in a chunk',
      Buffer.concat([goodPng.subarray(0, 40), Buffer.alloc(30, 7), goodPng.subarray(70)]),
      'PNG',
    ],
    [
      'a JPEG with an unknown marker after its start',
      Buffer.concat([goodJpeg.subarray(0, 2), Buffer.from([0xff, 0x99]), goodJpeg.subarray(2)]),
      'JPEG',
    ],
  ])('%s: one sentence naming the file, not the decoder library', (_name, bytes, kind) => {
    const message = messageOf(() => decodeImage(bytes, 'cats/a.png'));
    expect(message).toBe(
      `The image cats/a.png cannot be decoded: the ${kind} file is damaged or cut short; re-save it or remove it from the folder.`,
    );
  });
});

describe('UTF-16 CSVs', () => {
  const text = 'size,colour,y\n1.5,red,café\n2.5,blue,thé\n';
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

  it.each([
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16 LE without a BOM', Buffer.from(text, 'utf16le')],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
    ['UTF-16 BE without a BOM', utf16be(text)],
  ])('%s reads like its UTF-8 twin', async (name, bytes) => {
    const utf8File = path.join(dir, 'utf8.csv');
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.csv`);
    await fs.writeFile(utf8File, text);
    await fs.writeFile(file, bytes);
    const expected = await readCsvFile(utf8File);
    const table = await readCsvFile(file);
    expect({ columns: table.columns, rows: table.rows }).toEqual({
      columns: expected.columns,
      rows: expected.rows,
    });
    expect(table.rows[0]).toEqual(['1.5', 'red', 'café']);
  });

  it('binary junk with zero bytes is still refused as binary', async () => {
    const file = path.join(dir, 'junk.csv');
    await fs.writeFile(
      file,
      Uint8Array.from({ length: 2048 }, (_, i) => (i * 31) % 256),
    );
    await expect(readCsvFile(file)).rejects.toThrow(/junk\.csv looks like a binary file/);
  });
});
