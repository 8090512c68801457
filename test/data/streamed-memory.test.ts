// Memory does not grow with a streamed CSV: a child process whose JavaScript heap is capped at 96 MB
// (--max-old-space-size) trains a 23 MB, 300,000-row sensor log through the streaming path (the
// threshold lowered to 1 MB) to the end; the same process reading the file into memory runs out of
// heap, which shows the cap is below what the in-memory path needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, promises as fs, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../engine/random.ts';

const ROWS = 300_000;
const HEAP_MB = 96;
let dir: string;
let csv: string;

beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-streamed-memory-')));
  csv = path.join(dir, 'log.csv');
  const rng = mulberry32(3);
  const fd = openSync(csv, 'w');
  writeSync(fd, 'time,temp1,temp2,temp3,pressure,flow,vib_x,vib_y,vib_z,current,state\n');
  for (let from = 0; from < ROWS; from += 50_000) {
    const lines: string[] = [];
    for (let i = from; i < from + 50_000; i++) {
      const v = Array.from({ length: 9 }, rng);
      lines.push(
        `${1700000000 + i},${(60 + v[0] * 30).toFixed(3)},${(55 + v[1] * 25).toFixed(3)},${(50 + v[2] * 20).toFixed(3)},${(1.5 + v[3]).toFixed(4)},${(12 + v[4] * 8).toFixed(3)},${(v[5] * 0.4).toFixed(4)},${(v[6] * 0.4).toFixed(4)},${(v[7] * 0.4).toFixed(4)},${(8 + v[8] * 4).toFixed(3)},${v[0] + v[4] > 1 ? 'fault' : 'ok'}`,
      );
    }
    writeSync(fd, lines.join('\n') + '\n');
  }
  closeSync(fd);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function trainCapped(streamThreshold: string | null) {
  const env = { ...process.env };
  if (streamThreshold) env.NETWRIGHT_STREAM_CSV_BYTES = streamThreshold;
  else delete env.NETWRIGHT_STREAM_CSV_BYTES;
  return spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      '--import',
      'tsx',
      fileURLToPath(new URL('./fixtures/train-sensor-log.ts', import.meta.url)),
      csv,
    ],
    { encoding: 'utf8', env, maxBuffer: 1 << 24 },
  );
}

describe(`a ${ROWS.toLocaleString('en')}-row CSV with the heap capped at ${HEAP_MB} MB`, () => {
  it('trains to the end when streamed, and runs out of heap when read into memory', () => {
    const streamed = trainCapped(String(1 << 20));
    expect(streamed.status, streamed.stderr.slice(-1500)).toBe(0);
    const result = JSON.parse(streamed.stdout.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ status: 'complete', samples: { train: 270_000, test: 30_000 } });

    const inMemory = trainCapped(null);
    expect(inMemory.status).not.toBe(0);
    expect(inMemory.stderr).toMatch(/heap out of memory/i);
  }, 600_000);
});
