// EngineApi.testPredictions on real trained runs: a forecast's plotted series and both MAEs agree
// with metrics.json; an image classifier's misclassified samples agree with its confusion matrix and
// carry their pixels; a limit keeps the list short while the count stays whole.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFromJson } from '../../engine/project/load.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { testPredictions } from '../../engine/eval/test-predictions.ts';
import { project as seriesProject, seriesCsv } from '../explain/series.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-test-predictions-'));

async function trained(doc: unknown, name: string): Promise<string> {
  const parsed = projectFromJson(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const projectPath = path.join(dir, `${name}.netwright.json`);
  const outcome = await trainProject({
    project: parsed.project,
    projectPath,
    outDir: path.join(dir, `run-${name}`),
    backend: 'wasm',
  });
  expect(outcome.status).toBe('complete');
  return outcome.runDir;
}

describe('testPredictions', () => {
  it('a forecast run: the model and naive forecasts over the test period, MAEs as in metrics.json', async () => {
    writeFileSync(path.join(dir, 'series.csv'), seriesCsv(600, 5));
    const run = await trained(
      { ...seriesProject, training: { ...seriesProject.training, epochs: 3 } },
      'series',
    );
    const metrics = JSON.parse(readFileSync(path.join(run, 'metrics.json'), 'utf8'));
    const p = await testPredictions(run);
    if (p.task === 'classification') throw new Error('expected a forecast');
    expect(p.task).toBe('forecast');
    expect(p.samples).toBe(metrics.samples);
    expect(p.actual).toHaveLength(p.samples);
    expect(p.predicted).toHaveLength(p.samples);
    expect(p.naive).toHaveLength(p.samples);
    expect(p.mae).toBeCloseTo(metrics.mae, 6);
    expect(p.naiveMae).toBeCloseTo(metrics.naive.mae, 6);
    // The plotted series give the same MAE when recomputed from what the UI draws.
    const mae = (xs: number[]) => xs.reduce((a, v, i) => a + Math.abs(v - p.actual[i]), 0) / xs.length;
    expect(mae(p.predicted)).toBeCloseTo(metrics.mae, 4);
    expect(mae(p.naive!)).toBeCloseTo(metrics.naive.mae, 4);
  });

  it('an image classifier: the misclassified samples match the confusion matrix and carry their pixels', async () => {
    const nodes = [
      { id: 'in', type: 'Input', params: { shape: [16, 16, 1] } },
      { id: 'flat', type: 'Flatten', params: {} },
      { id: 'probs', type: 'Dense', params: { units: 4, activation: 'softmax' } },
      { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
    ];
    const run = await trained(
      {
        format: 'netwright',
        version: 1,
        name: 'Defects, tiny',
        graph: {
          nodes,
          edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id })),
        },
        data: { source: 'builtin:defects', samples: 200, testSplit: 0.25 },
        training: { optimizer: { type: 'adam', learningRate: 0.003 }, epochs: 1, batchSize: 32, seed: 4 },
      },
      'defects',
    );
    const metrics = JSON.parse(readFileSync(path.join(run, 'metrics.json'), 'utf8'));
    const { matrix, labels } = metrics.confusionMatrix as { matrix: number[][]; labels: string[] };
    const wrong = matrix.flatMap((row, i) => row.filter((_, j) => j !== i)).reduce((a, b) => a + b, 0);
    expect(wrong).toBeGreaterThan(3);
    const p = await testPredictions(run, 3);
    if (p.task !== 'classification') throw new Error('expected a classification');
    expect(p.kind).toBe('image');
    expect(p.samples).toBe(matrix.flat().reduce((a, b) => a + b, 0));
    expect(p.misclassifiedCount).toBe(wrong);
    expect(p.examples).toHaveLength(3);
    for (const e of p.examples) {
      expect(e.actual).not.toBe(e.predicted);
      expect(e.probability).toBeGreaterThan(0);
      expect(e.image).toMatchObject({ width: 16, height: 16, channels: 1 });
      expect(e.image!.pixels).toHaveLength(256);
      expect(e.image!.pixels.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    }
    // Every misclassified pair counted once per confusion-matrix cell.
    const all = await testPredictions(run, 500);
    if (all.task !== 'classification') return;
    const cells = new Map<string, number>();
    for (const e of all.examples)
      cells.set(`${e.actual}>${e.predicted}`, (cells.get(`${e.actual}>${e.predicted}`) ?? 0) + 1);
    for (const [key, n] of cells) {
      const [a, b] = key.split('>');
      expect(matrix[labels.indexOf(a)][labels.indexOf(b)]).toBe(n);
    }
  });
});
