// `netwright predict` on a CSV above the streaming threshold (lowered here with
// NETWRIGHT_STREAM_CSV_BYTES) reads it a chunk of rows at a time and prints each chunk's
// predictions before reading on: the output (JSON, laid out as for a whole file) and the warnings (a blank cell filled,
// a category not seen in training) are exactly those of the same file read whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectFromJson } from '../../engine/project/load.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { predictFiles, predictionsCsv } from '../../engine/eval/predict-files.ts';
import { ROOT } from '../cli/run-cli.ts';

const ROWS = 80_000;
let dir: string;
let runDir: string;

const row = (i: number) =>
  `${((i * 37) % 1000) / 10},${i % 13 === 5 ? '' : 900 + ((i * 13) % 200)},${['north', 'south', 'east'][i % 3]}`;

beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-streamed-predict-')));
  const train = ['temp,pressure,site,state'];
  for (let i = 0; i < 600; i++) train.push(`${row(i)},${((i * 37) % 1000) / 10 > 55 ? 'hot' : 'cold'}`);
  await fs.writeFile(path.join(dir, 'train.csv'), train.join('\n') + '\n');
  // Two chunks of the file stream (it reads a megabyte at a time), a category training never saw.
  const rows = ['site,temp,pressure'];
  for (let i = 0; i < ROWS; i++) {
    const [temp, pressure, site] = row(i * 7 + 1).split(',');
    rows.push(`${i === 40_000 ? 'west' : site},${temp},${pressure}`);
  }
  await fs.writeFile(path.join(dir, 'new.csv'), rows.join('\n') + '\n');
  const parsed = projectFromJson({
    format: 'netwright',
    version: 1,
    name: 'Sensors',
    graph: {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [5] } },
        { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
        { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
      ],
      edges: [
        { id: 'a', source: 'in', target: 'd' },
        { id: 'b', source: 'd', target: 'out' },
      ],
    },
    data: { source: 'csv:train.csv', target: 'state' },
    training: { epochs: 2, batchSize: 32, seed: 3 },
  });
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  runDir = path.join(dir, 'run');
  const outcome = await trainProject({
    project: parsed.project,
    projectPath: path.join(dir, 'sensors.netwright.json'),
    outDir: runDir,
    backend: 'js',
  });
  expect(outcome.status, outcome.message).toBe('complete');
}, 120_000);

afterAll(async () => {
  delete process.env.NETWRIGHT_STREAM_CSV_BYTES;
  await fs.rm(dir, { recursive: true, force: true });
});

function predict(streamThreshold: string | null, ...flags: string[]) {
  const env = { ...process.env };
  if (streamThreshold) env.NETWRIGHT_STREAM_CSV_BYTES = streamThreshold;
  else delete env.NETWRIGHT_STREAM_CSV_BYTES;
  const child = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'bin/netwright.mjs'),
      'predict',
      runDir,
      path.join(dir, 'new.csv'),
      '--backend',
      'wasm',
      ...flags,
    ],
    { encoding: 'utf8', env, maxBuffer: 1 << 28 },
  );
  expect(child.status, child.stderr.slice(-1500)).toBe(0);
  return child;
}

describe(`predict on a ${ROWS.toLocaleString('en')}-row CSV above the streaming threshold`, () => {
  it('prints, chunk by chunk, exactly what it prints for the file read whole', () => {
    expect(statSync(path.join(dir, 'new.csv')).size).toBeGreaterThan(1 << 20);
    const whole = predict(null, '--json');
    // Above the lowered threshold the whole-table reader refuses the file, so this output is the streamed one.
    const streamed = predict('100000', '--json');
    expect(streamed.stdout).toBe(whole.stdout);
    const predictions = JSON.parse(streamed.stdout).predictions;
    expect(predictions).toHaveLength(ROWS);
    expect(predictions[ROWS - 1].row).toBe(`row ${ROWS + 1}`);
    const warnings = (s: string) => s.split('\n').filter((l) => l.startsWith('warning: '));
    // The same warnings; streamed, each chunk's come before the next chunk's.
    expect(warnings(streamed.stderr).sort()).toEqual(warnings(whole.stderr).sort());
    expect(warnings(streamed.stderr)).toContain(
      'warning: new.csv row 40002, column "site": "west" was not seen in training; it is encoded as no category.',
    );
    expect(
      warnings(streamed.stderr).some((w) => /column "pressure" is blank; the training mean/.test(w)),
    ).toBe(true);
  }, 300_000);
});

describe('the Predict tab (EngineApi.predict) on the same file', () => {
  it('saves every prediction chunk by chunk, byte for byte as for the file read whole, and shows the first 1,000', async () => {
    const file = path.join(dir, 'new.csv');
    const whole = await predictFiles({ runDir, files: [file], saveTo: path.join(dir, 'whole.csv') });
    process.env.NETWRIGHT_STREAM_CSV_BYTES = '100000';
    const streamed = await predictFiles({ runDir, files: [file], saveTo: path.join(dir, 'streamed.csv') });
    const unsaved = await predictFiles({ runDir, files: [file] });
    // A file without a column the model was trained on is refused before any row is predicted.
    const lacking = path.join(dir, 'lacking.csv');
    await fs.writeFile(
      lacking,
      ['temp,pressure', ...Array.from({ length: 20_000 }, (_, i) => `${i % 90},${900 + (i % 200)}`)].join(
        '\n',
      ),
    );
    await expect(
      predictFiles({ runDir, files: [lacking], saveTo: path.join(dir, 'lacking-out.csv') }),
    ).rejects.toThrow('lacking.csv lacks the column "site" that the model was trained on.');
    expect(existsSync(path.join(dir, 'lacking-out.csv'))).toBe(false);
    delete process.env.NETWRIGHT_STREAM_CSV_BYTES;

    expect(whole.rows).toHaveLength(ROWS);
    // Written a chunk at a time, the file is the one predictionsCsv makes of all the rows at once.
    expect(readFileSync(path.join(dir, 'whole.csv'), 'utf8')).toBe(predictionsCsv(whole.rows));
    expect(readFileSync(path.join(dir, 'streamed.csv'), 'utf8')).toBe(
      readFileSync(path.join(dir, 'whole.csv'), 'utf8'),
    );
    expect(streamed.rows).toEqual(whole.rows.slice(0, 1000));
    expect(streamed.warnings).toEqual([
      'new.csv is 1 MB: all 80,000 predictions are in the saved file; the first 1,000 are shown.',
    ]);
    // Without a file to save to, the reading stops once the rows shown are predicted.
    expect(unsaved.rows).toEqual(whole.rows.slice(0, 1000));
    expect(unsaved.warnings).toEqual([
      "new.csv is 1 MB: only its first 1,000 predictions are shown; save the predictions to a file to get every row's.",
    ]);
  }, 300_000);
});
