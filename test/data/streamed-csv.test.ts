// A CSV above the streaming threshold (lowered here with NETWRIGHT_STREAM_CSV_BYTES, so a few MB
// take the path a multi-GB file takes) trains from a cache on disk with exactly the results of the
// in-memory path on the same seed: the same preprocessing, history, test metrics and split; the
// cache is gone afterwards, and `evaluate` on the streamed run streams the file again to the same
// metrics. Both a classifier (one-hot categorical feature, missing cells, a row without target,
// a numeric column with thousands separators) and a regression.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectFromJson } from '../../engine/project/load.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { evaluateRun } from '../../engine/eval/evaluate-run.ts';
import type { Project } from '../../engine/project/schema.ts';

const ROWS = 40_000;
let dir: string;

beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'nw-streamed-csv-')));
  const lines = ['temp,pressure,site,load,state,output'];
  for (let i = 0; i < ROWS; i++) {
    const temp = ((i * 37) % 1000) / 10;
    const pressure = i % 11 === 0 ? '' : String(900 + ((i * 13) % 200));
    const site = ['north', 'south', 'east'][i % 3];
    const load = `"${1 + (i % 7)},${String((i * 7) % 1000).padStart(3, '0')}"`;
    const state = i === 17 ? '' : temp + (i % 3) * 10 > 55 ? 'hot' : i % 5 === 0 ? 'warm' : 'cold';
    lines.push(`${temp},${pressure},${site},${load},${state},${(temp * 0.3 + (i % 3)).toFixed(3)}`);
  }
  await fs.writeFile(path.join(dir, 'sensors.csv'), lines.join('\n') + '\n');
}, 60_000);

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  delete process.env.NETWRIGHT_STREAM_CSV_BYTES;
});

function project(kind: 'classification' | 'regression'): Project {
  const classify = kind === 'classification';
  const parsed = projectFromJson({
    format: 'netwright',
    version: 1,
    name: 'Sensors',
    graph: {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [6] } },
        { id: 'h', type: 'Dense', params: { units: 16, activation: 'relu' } },
        { id: 'd', type: 'Dense', params: classify ? { units: 3, activation: 'softmax' } : { units: 1 } },
        {
          id: 'out',
          type: 'Output',
          params: { loss: classify ? 'categoricalCrossentropy' : 'meanSquaredError' },
        },
      ],
      edges: [
        { id: 'a', source: 'in', target: 'h' },
        { id: 'b', source: 'h', target: 'd' },
        { id: 'c', source: 'd', target: 'out' },
      ],
    },
    data: classify
      ? { source: 'csv:sensors.csv', target: 'state', ignore: ['output'], testSplit: 0.2 }
      : { source: 'csv:sensors.csv', target: 'output', ignore: ['state'], testSplit: 0.25 },
    training: { epochs: 2, batchSize: 64, validationSplit: 0.1, seed: 5 },
  });
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  return parsed.project;
}

async function trainRun(kind: 'classification' | 'regression', streamed: boolean, name: string) {
  if (streamed) process.env.NETWRIGHT_STREAM_CSV_BYTES = '100000';
  const outDir = path.join(dir, name);
  const outcome = await trainProject({
    project: project(kind),
    projectPath: path.join(dir, 'sensors.netwright.json'),
    outDir,
    backend: 'js',
  });
  delete process.env.NETWRIGHT_STREAM_CSV_BYTES;
  expect(outcome.status, outcome.message).toBe('complete');
  const read = (f: string) => JSON.parse(readFileSync(path.join(outDir, f), 'utf8'));
  return {
    outDir,
    outcome,
    metrics: read('metrics.json'),
    prep: read('preprocessing.json'),
    history: read('history.json').map((e: { seconds?: number }) => ({ ...e, seconds: 0 })),
    split: read('split.json'),
  };
}

/** split-indices.bin: train, validation, test indices, then their source lines (Int32 LE). */
function readIndexFile(outDir: string, counts: { train: number; validation: number; test: number }) {
  const buf = readFileSync(path.join(outDir, 'split-indices.bin'));
  const all = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const sizes = [counts.train, counts.validation, counts.test, counts.train, counts.validation, counts.test];
  let at = 0;
  const parts = sizes.map((n) => Array.from(all.subarray(at, (at += n))));
  expect(at).toBe(all.length);
  return parts;
}

describe.each(['classification', 'regression'] as const)(
  'a %s from a CSV above the streaming threshold',
  (kind) => {
    it('trains from a cache on disk to exactly the in-memory results, and evaluates again by streaming', async () => {
      const memory = await trainRun(kind, false, `${kind}-memory`);
      const streamed = await trainRun(kind, true, `${kind}-streamed`);

      expect(streamed.prep).toEqual(memory.prep);
      expect(streamed.history).toEqual(memory.history);
      expect(streamed.metrics).toEqual(memory.metrics);
      expect(streamed.outcome.info.samples).toEqual(memory.outcome.info.samples);
      // The data's warnings (thousands separators read, missing values filled, a row without target) are the same.
      expect(streamed.metrics.warnings.length).toBeGreaterThanOrEqual(kind === 'classification' ? 3 : 2);

      // The same split, recorded in a binary index file instead of millions of JSON numbers.
      const counts = streamed.split.counts;
      expect(counts).toEqual({
        train: memory.split.train.length,
        validation: memory.split.validation.length,
        test: memory.split.test.length,
      });
      const [train, validation, test, trainRows, validationRows, testRows] = readIndexFile(
        streamed.outDir,
        counts,
      );
      expect({ train, validation, test }).toEqual({
        train: memory.split.train,
        validation: memory.split.validation,
        test: memory.split.test,
      });
      expect({ train: trainRows, validation: validationRows, test: testRows }).toEqual(
        memory.split.sourceRows,
      );

      // The cache lived in the run folder and is removed when the run ends.
      expect(existsSync(path.join(streamed.outDir, 'data-cache'))).toBe(false);

      // evaluate re-streams the file (threshold lowered again) and finds the metrics training saved.
      process.env.NETWRIGHT_STREAM_CSV_BYTES = '100000';
      const again = await evaluateRun(streamed.outDir, 'js');
      expect(again.recomputed, again.note).toBe(true);
      expect(again.metrics).toEqual(memory.metrics);
    }, 240_000);
  },
);

describe('a run stopped while its streamed CSV loads', () => {
  it('ends cancelled without finishing the load, and leaves no cache behind', async () => {
    process.env.NETWRIGHT_STREAM_CSV_BYTES = '100000';
    const outDir = path.join(dir, 'cancelled-while-loading');
    const stop = new AbortController();
    const outcome = await trainProject(
      {
        project: project('classification'),
        projectPath: path.join(dir, 'sensors.netwright.json'),
        outDir,
        backend: 'js',
      },
      {
        signal: stop.signal,
        // Stop as soon as the run has started, before its data is read.
        onEvent: (e) => {
          if (e.kind === 'train-started') stop.abort();
        },
      },
    );
    expect(outcome.status, outcome.message).toBe('cancelled');
    expect(outcome.history).toEqual([]);
    // The load stopped in its first pass: the split was never drawn, and the cache folder is gone.
    expect(existsSync(path.join(outDir, 'split-indices.bin'))).toBe(false);
    expect(existsSync(path.join(outDir, 'data-cache'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(outDir, 'run.json'), 'utf8')).status).toBe('cancelled');
  }, 120_000);
});
