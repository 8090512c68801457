// `npm run bench:stream`: a CSV far larger than memory should allow, trained with bounded memory
// (docs/DATA.md, "Large CSV files"). Generates a sensor log (20 million rows, about 2 GB) and a
// smaller one (below the streaming threshold) in a temporary folder, deleted afterwards, then:
//   1. previews the large file (the first rows only; median of 3);
//   2. trains an MLP one epoch on the small file in memory and on the same file forced through the
//      streaming path, interleaved, 3 times each: samples/s median and spread, and their ratio;
//   3. trains the MLP one epoch on the large file (streamed): samples/s and the process's peak RSS.
// Each training run is its own process (bench/stream-train-child.ts), so its peak RSS is its own.
//
//   npm run bench:stream -- [--rows 20000000] [--small-rows 800000] [--batch 256] [--backend auto] [--repeats 3]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { previewData } from '../engine/data/preview.ts';
import { mulberry32 } from '../engine/random.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const ROWS = Number(arg('rows', '20000000'));
const SMALL_ROWS = Number(arg('small-rows', '800000'));
const BATCH = arg('batch', '256');
const BACKEND = arg('backend', 'auto');
const REPEATS = Number(arg('repeats', '3'));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

/** A plant's sensor log: a timestamp, nine readings, and whether the machine was in a fault state. */
function writeSensorLog(file: string, rows: number): void {
  const rng = mulberry32(7);
  const fd = openSync(file, 'w');
  const start = Date.UTC(2025, 0, 1);
  writeSync(fd, 'time,temp1,temp2,temp3,pressure,flow,vib_x,vib_y,vib_z,current,state\n');
  const BLOCK = 100_000;
  for (let from = 0; from < rows; from += BLOCK) {
    const lines: string[] = [];
    for (let i = from; i < Math.min(rows, from + BLOCK); i++) {
      const r = Array.from({ length: 9 }, () => rng());
      const fault = r[0] + r[4] * 0.8 + r[6] * 0.6 > 1.6;
      lines.push(
        `${new Date(start + i * 1000).toISOString().slice(0, 19)},${(60 + r[0] * 30).toFixed(3)},${(55 + r[1] * 25).toFixed(3)},${(50 + r[2] * 20).toFixed(3)},${(1.5 + r[3]).toFixed(4)},${(12 + r[4] * 8).toFixed(3)},${(r[5] * 0.4).toFixed(4)},${(r[6] * 0.4).toFixed(4)},${(r[7] * 0.4).toFixed(4)},${(8 + r[8] * 4).toFixed(3)},${fault ? 'fault' : 'ok'}`,
      );
    }
    writeSync(fd, lines.join('\n') + '\n');
  }
  closeSync(fd);
}

interface ChildResult {
  samples: { train: number; validation: number; test: number };
  backend: string;
  loadSec: number;
  trainSec: number;
  samplesPerSec: number;
  accuracy?: number;
  peakRssMB: number;
}

function train(csv: string, streamed: boolean): ChildResult {
  const env = { ...process.env };
  if (streamed) env.NETWRIGHT_STREAM_CSV_BYTES = '1';
  else delete env.NETWRIGHT_STREAM_CSV_BYTES;
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'stream-train-child.ts'), csv, BATCH, BACKEND],
    { encoding: 'utf8', env, maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`training ${path.basename(csv)} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-stream-bench-'));
try {
  console.log(
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const big = path.join(dir, 'sensors-large.csv');
  const small = path.join(dir, 'sensors-small.csv');
  let t = performance.now();
  writeSensorLog(big, ROWS);
  writeSensorLog(small, SMALL_ROWS);
  const mb = (f: string) => (statSync(f).size / 1048576).toFixed(0);
  console.log(
    `generated ${ROWS.toLocaleString('en')} rows (${mb(big)} MB) and ${SMALL_ROWS.toLocaleString('en')} rows (${mb(small)} MB) in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );

  const previews: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    const p = await previewData({ source: 'csv:sensors-large.csv', target: 'state' }, dir);
    previews.push(performance.now() - t);
    if (i === 0) console.log(`preview: count ≈ ${p.count.toLocaleString('en')}; ${p.warnings[0]}`);
  }
  console.log(
    `preview of the large file: median ${median(previews).toFixed(0)} ms (${spread(previews)} ms, 3 runs)`,
  );

  const memory: ChildResult[] = [];
  const streamed: ChildResult[] = [];
  for (let i = 0; i < REPEATS; i++) {
    memory.push(train(small, false));
    streamed.push(train(small, true));
    console.log(
      `  repeat ${i + 1}: in memory ${memory[i].samplesPerSec.toFixed(0)} samples/s (peak RSS ${memory[i].peakRssMB.toFixed(0)} MB), streamed ${streamed[i].samplesPerSec.toFixed(0)} samples/s (peak RSS ${streamed[i].peakRssMB.toFixed(0)} MB)`,
    );
  }
  const m = memory.map((r) => r.samplesPerSec);
  const s = streamed.map((r) => r.samplesPerSec);
  console.log(
    `small file (${SMALL_ROWS.toLocaleString('en')} rows, ${memory[0].backend}, batch ${BATCH}): in memory median ${median(m).toFixed(0)} samples/s (${spread(m)}), streamed median ${median(s).toFixed(0)} (${spread(s)}): ${((100 * median(s)) / median(m)).toFixed(0)}%`,
  );

  const large = train(big, true);
  console.log(
    `large file (${ROWS.toLocaleString('en')} rows, ${mb(big)} MB, streamed, ${large.backend}, batch ${BATCH}): ` +
      `load (two streaming passes) ${large.loadSec.toFixed(0)} s, one epoch of ${large.samples.train.toLocaleString('en')} samples ${large.trainSec.toFixed(0)} s = ${large.samplesPerSec.toFixed(0)} samples/s ` +
      `(${((100 * large.samplesPerSec) / median(m)).toFixed(0)}% of the in-memory median on the small file), test accuracy ${large.accuracy?.toFixed(3)}, peak RSS ${large.peakRssMB.toFixed(0)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
