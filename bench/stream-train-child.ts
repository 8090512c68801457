// One training run for bench/stream-bench.ts, in its own process so its peak RSS is its own:
//   tsx bench/stream-train-child.ts <csv> <batchSize> <backend>
// Prints one JSON line: samples per split, load / train seconds, samples/s of the epoch, peak RSS.
import path from 'node:path';
import { projectFromJson } from '../engine/project/load.ts';
import { trainProject } from '../engine/train/train-project.ts';
import type { BackendChoice } from '../engine/backend.ts';

const [csv, batch, backend] = process.argv.slice(2);
const dir = path.dirname(csv);
const parsed = projectFromJson({
  format: 'netwright',
  version: 1,
  name: 'Sensor log',
  graph: {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [9] } },
      { id: 'h1', type: 'Dense', params: { units: 32, activation: 'relu' } },
      { id: 'h2', type: 'Dense', params: { units: 16, activation: 'relu' } },
      { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' } },
      { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
    ],
    edges: [
      { id: 'a', source: 'in', target: 'h1' },
      { id: 'b', source: 'h1', target: 'h2' },
      { id: 'c', source: 'h2', target: 'd' },
      { id: 'e', source: 'd', target: 'out' },
    ],
  },
  data: { source: `csv:${path.basename(csv)}`, target: 'state', ignore: ['time'], testSplit: 0.1 },
  training: {
    epochs: 1,
    batchSize: Number(batch),
    seed: 1,
    optimizer: { type: 'adam', learningRate: 0.001 },
  },
});
if (!parsed.ok) throw new Error(parsed.problems[0].message);
const outcome = await trainProject({
  project: parsed.project,
  projectPath: path.join(dir, 'bench.netwright.json'),
  outDir: path.join(dir, `run-${process.pid}`),
  backend: backend as BackendChoice,
});
if (outcome.status !== 'complete') throw new Error(outcome.message);
const epoch = outcome.history[0];
const samples = outcome.info.samples!;
console.log(
  JSON.stringify({
    samples,
    backend: outcome.backend?.label,
    loadSec: outcome.info.timings?.loadSec,
    trainSec: outcome.info.timings?.trainSec,
    samplesPerSec: samples.train / epoch.seconds,
    accuracy: (outcome.metrics as { accuracy?: number } | undefined)?.accuracy,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
