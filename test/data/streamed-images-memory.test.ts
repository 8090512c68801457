// Memory does not grow with a streamed image folder: 1,600 small PNGs trained at a 96×96×3 Input
// take 177 MB decoded. A child process (JavaScript heap capped at 128 MB) trains them for one epoch
// through the streaming path (threshold lowered to 1 MB) and its resident memory rises by less
// than that (the backend, the model and the test split in memory take ~120 MB here); the same
// child decoding the folder up front rises by more than twice that (the folder, its training
// subset and that subset scaled).
// (Decoded pixels live in typed arrays outside the JavaScript heap, so the heap cap alone would
// not tell the two apart; the peak resident size does.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../engine/random.ts';
import { pngBytes, tempDir, writeFile } from './helpers.ts';

const PER_CLASS = 800;
const SIZE = 96;
const DECODED_MB = (2 * PER_CLASS * SIZE * SIZE * 3 * 4) / 1e6;
let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const rng = mulberry32(5);
  for (let i = 0; i < PER_CLASS; i++) {
    const v = () => Math.round(rng() * 255);
    writeFile(
      dir,
      `parts/light/l${i}.png`,
      pngBytes(12, 12, () => [200, v(), 180]),
    );
    writeFile(
      dir,
      `parts/dark/d${i}.png`,
      pngBytes(12, 12, () => [40, v(), 60]),
    );
  }
}, 120_000);

afterAll(() => cleanup());

function trainChild(streamThreshold: string | null) {
  const env = { ...process.env };
  if (streamThreshold) env.NETWRIGHT_STREAM_IMAGE_BYTES = streamThreshold;
  else delete env.NETWRIGHT_STREAM_IMAGE_BYTES;
  const child = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=128',
      '--import',
      'tsx',
      fileURLToPath(new URL('./fixtures/train-image-folder.ts', import.meta.url)),
      path.join(dir, 'parts'),
      String(SIZE),
    ],
    { encoding: 'utf8', env, maxBuffer: 1 << 24 },
  );
  expect(child.status, child.stderr.slice(-1500)).toBe(0);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
  expect(result).toMatchObject({ status: 'complete', samples: { train: 1440, test: 160 } });
  return result as { riseMB: number };
}

describe(`${2 * PER_CLASS} images at ${SIZE}×${SIZE}×3 (${Math.round(DECODED_MB)} MB decoded)`, () => {
  it('train with memory rising by less than the decoded size when streamed, by more than twice it when not', () => {
    const streamed = trainChild(String(1 << 20));
    const inMemory = trainChild(null);
    console.log(
      `resident memory rise: streamed ${streamed.riseMB} MB, in memory ${inMemory.riseMB} MB (decoded ${Math.round(DECODED_MB)} MB)`,
    );
    expect(streamed.riseMB).toBeLessThan(DECODED_MB);
    expect(inMemory.riseMB).toBeGreaterThan(2 * DECODED_MB);
  }, 600_000);
});
