// The real `netwright serve` keeps answering while it previews a large CSV: the preview runs in a
// worker thread (engine/data/preview-off-thread.ts). Measured as the round trip of trivial calls
// made one after another for as long as the preview is in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callServe, startServe, stopServe, type Serve } from '../security/helpers/serve.ts';

const ROWS = 600_000;
let tmp: string;
let server: Serve;

beforeAll(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-preview-loop-')));
  const lines = ['t1,t2,t3,label'];
  for (let i = 0; i < ROWS; i++)
    lines.push(`${i % 97},${(i * 7) % 89},${(i % 13) / 4},${i % 3 ? 'ok' : 'fault'}`);
  await fs.writeFile(path.join(tmp, 'sensors.csv'), lines.join('\n') + '\n');
  server = await startServe(['--root', tmp], tmp);
}, 90_000);

afterAll(async () => {
  await stopServe(server);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('web mode while a large CSV is previewed', () => {
  it(`answers other calls within a second during a ${ROWS.toLocaleString('en')}-row preview`, async () => {
    // Warm the preview worker on a small file first: the measured window is the parse, not start-up.
    await fs.writeFile(path.join(tmp, 'small.csv'), 'a,b\n1,2\n3,4\n');
    expect((await callServe(server, 'previewData', [{ source: 'csv:small.csv', target: 'b' }])).status).toBe(
      200,
    );

    let done = false;
    const preview = callServe(server, 'previewData', [
      { source: 'csv:sensors.csv', target: 'label' },
    ]).finally(() => (done = true));
    const roundTrips: number[] = [];
    while (!done) {
      const t0 = performance.now();
      const r = await callServe(server, 'version', []);
      roundTrips.push(performance.now() - t0);
      expect(r.status).toBe(200);
    }
    const r = await preview;
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect((r.json!.result as { count: number }).count).toBe(ROWS);
    const worst = Math.max(...roundTrips);
    console.log(
      `previewData of ${ROWS} rows: ${roundTrips.length} version calls meanwhile, worst round trip ${worst.toFixed(0)} ms`,
    );
    expect(roundTrips.length).toBeGreaterThan(5);
    expect(worst).toBeLessThan(1000);
  }, 120_000);
});
