// An image folder above the streaming threshold (lowered here with NETWRIGHT_STREAM_IMAGE_BYTES, so
// a small folder takes the path a folder of millions of pixels takes) trains with batches decoded
// from disk to exactly the results of the in-memory path on the same seed: the same preprocessing
// (per-channel statistics of the training images), history, test metrics and split; `evaluate`
// on the streamed run decodes its test images again to the same metrics.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectFromJson } from '../../engine/project/load.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { evaluateRun } from '../../engine/eval/evaluate-run.ts';
import { mulberry32 } from '../../engine/random.ts';
import type { Project } from '../../engine/project/schema.ts';
import { jpegBytes, pngBytes, tempDir, writeFile } from './helpers.ts';

const PER_CLASS = 40;
let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  const rng = mulberry32(11);
  // Three classes a model can tell apart (stripes, a bright spot, noise), PNG and JPEG, of mixed sizes.
  const shade = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (let i = 0; i < PER_CLASS; i++) {
    const n = () => (rng() - 0.5) * 60;
    const size = 10 + (i % 3) * 3;
    writeFile(
      dir,
      `parts/stripes/s${i}.png`,
      pngBytes(size, size, (x) => {
        const v = shade((x % 4 < 2 ? 200 : 50) + n());
        return [v, v, v];
      }),
    );
    writeFile(
      dir,
      `parts/spot/p${i}.${i % 2 ? 'jpg' : 'png'}`,
      (i % 2 ? jpegBytes : pngBytes)(size, size, (x, y) => {
        const d = Math.hypot(x - size / 2, y - size / 2);
        const v = shade((d < size / 4 ? 230 : 80) + n());
        return [v, shade(v * 0.9), shade(v * 0.8)];
      }),
    );
    writeFile(
      dir,
      `parts/noise/n${i}.png`,
      pngBytes(size, size, () => [shade(128 + n() * 2), shade(128 + n() * 2), shade(128 + n() * 2)]),
    );
  }
  writeFile(dir, 'parts/noise/readme.txt', 'not an image');
});

afterAll(() => cleanup());

afterEach(() => {
  delete process.env.NETWRIGHT_STREAM_IMAGE_BYTES;
});

function project(): Project {
  const parsed = projectFromJson({
    format: 'netwright',
    version: 1,
    name: 'Parts',
    graph: {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [8, 8, 3] } },
        { id: 'c', type: 'Conv2D', params: { filters: 4, kernelSize: 3, activation: 'relu' } },
        { id: 'f', type: 'Flatten', params: {} },
        { id: 'd', type: 'Dense', params: { units: 3, activation: 'softmax' } },
        { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
      ],
      edges: [
        { id: 'a', source: 'in', target: 'c' },
        { id: 'b', source: 'c', target: 'f' },
        { id: 'e', source: 'f', target: 'd' },
        { id: 'g', source: 'd', target: 'out' },
      ],
    },
    data: { source: 'images:parts', testSplit: 0.25 },
    training: { epochs: 3, batchSize: 16, validationSplit: 0.1, seed: 9 },
  });
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  return parsed.project;
}

async function trainRun(streamed: boolean, name: string) {
  // 120 images of 8×8×3 float32 take 92 KB decoded: a 1 KB threshold streams them.
  if (streamed) process.env.NETWRIGHT_STREAM_IMAGE_BYTES = '1000';
  const outDir = path.join(dir, name);
  const outcome = await trainProject({
    project: project(),
    projectPath: path.join(dir, 'parts.netwright.json'),
    outDir,
    backend: 'js',
  });
  delete process.env.NETWRIGHT_STREAM_IMAGE_BYTES;
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

describe('an image folder above the streaming threshold', () => {
  it('trains on batches decoded from disk to exactly the in-memory results, and evaluates again', async () => {
    const memory = await trainRun(false, 'memory');
    const streamed = await trainRun(true, 'streamed');

    expect(streamed.prep).toEqual(memory.prep);
    expect(streamed.prep.inputs[0].offset).toHaveLength(3); // one mean per channel
    expect(streamed.history).toEqual(memory.history);
    expect(streamed.history).toHaveLength(3);
    expect(streamed.metrics).toEqual(memory.metrics);
    expect(streamed.metrics.warnings).toEqual(['1 file is not PNG or JPEG and was skipped.']);
    expect(streamed.outcome.info.samples).toEqual({ train: 81, validation: 9, test: 30 });
    expect(streamed.outcome.info.samples).toEqual(memory.outcome.info.samples);
    expect(streamed.split).toEqual(memory.split);

    // evaluate decodes the streamed run's test images again (threshold lowered again): same metrics.
    process.env.NETWRIGHT_STREAM_IMAGE_BYTES = '1000';
    const again = await evaluateRun(streamed.outDir, 'js');
    expect(again.recomputed, again.note).toBe(true);
    expect(again.metrics).toEqual(memory.metrics);
  }, 240_000);
});
