// A series with a known answer for the explain tests (not a test file itself): its next value
// depends on its last 5 values only, forecast from 12-step windows by a linear model.
import { createRng, gaussian } from '../../engine/random.ts';

export const LENGTH = 12;
export const COEFFICIENTS = [0.5, -0.3, 0.3, -0.2, 0.2];

export function seriesCsv(steps: number, seed: number): string {
  const rng = createRng(seed);
  const v: number[] = [];
  for (let t = 0; t < steps; t++)
    v.push(COEFFICIENTS.reduce((a, c, k) => a + c * (v[t - 1 - k] ?? 0), 0) + gaussian(rng));
  return ['v', ...v.map((x) => x.toFixed(4))].join('\n') + '\n';
}

/** The project, reading csv:series.csv beside it. */
export const project = {
  format: 'netwright',
  version: 1,
  name: 'Last five steps',
  graph: {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [LENGTH, 1] } },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'y', type: 'Dense', params: { units: 1, activation: 'linear' } },
      { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'flat' },
      { id: 'e2', source: 'flat', target: 'y' },
      { id: 'e4', source: 'y', target: 'out' },
    ],
  },
  data: {
    source: 'csv:series.csv',
    window: { length: LENGTH, column: 'v' },
    testSplit: 0.2,
  },
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 20, batchSize: 64, seed: 3 },
};
