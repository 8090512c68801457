// The preview of a CSV above the streaming threshold (lowered here to 1 MB) reads its first 1 MB
// only: it shows the first rows, estimates the row count from the bytes per row, and says that its
// statistics describe the rows it read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { previewData } from '../../engine/data/preview.ts';

const ROWS = 800_000;
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-large-preview-'));
  const lines = ['t1,t2,label'];
  // The class "late" appears only after the first 4 MB: the preview cannot know it, and says so.
  for (let i = 0; i < ROWS; i++)
    lines.push(`${i % 97},${(i * 7) % 89},${i > 600_000 ? 'late' : i % 3 ? 'ok' : 'fault'}`);
  await fs.writeFile(path.join(dir, 'big.csv'), lines.join('\n') + '\n');
  process.env.NETWRIGHT_STREAM_CSV_BYTES = String(1 << 20);
});
afterAll(async () => {
  delete process.env.NETWRIGHT_STREAM_CSV_BYTES;
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the preview of a CSV above the streaming threshold', () => {
  it('shows its first rows, an estimated count and a note that only the first rows were read', async () => {
    const p = await previewData({ source: 'csv:big.csv', target: 'label' }, dir);
    expect(p.rows[0]).toEqual([0, 0, 'fault']);
    expect(Math.abs(p.count - ROWS) / ROWS).toBeLessThan(0.05);
    expect(p.warnings[0]).toMatch(
      /^big\.csv is \d+ MB: the preview reads its first [\d,]+ rows, so the statistics and classes shown are theirs and the row count \(about [\d,]+\) is estimated; training reads every row\.$/,
    );
    expect(Object.keys(p.classBalance ?? {}).sort()).toEqual(['fault', 'ok']);
  });
});
