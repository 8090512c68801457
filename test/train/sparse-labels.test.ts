// Label encoding for sparseCategoricalCrossentropy: the target is the class index (shape [n, 1]), not
// one-hot. Real iris, real tfjs: data loading, training, the saved run and `evaluate` all take it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../engine/data/index.ts';
import { evaluateRun } from '../../engine/eval/evaluate-run.ts';
import type { ClassificationMetrics } from '../../engine/eval/metrics.ts';
import { loadExample } from '../../engine/examples.ts';
import type { Project } from '../../engine/project/schema.ts';
import { trainProject } from '../../engine/train/train-project.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function sparseIris(): Promise<Project> {
  const project = await loadExample('iris-mlp');
  const out = project.graph.nodes.find((n) => n.type === 'Output')!;
  out.params = { ...out.params, loss: 'sparseCategoricalCrossentropy' };
  return project;
}

describe('sparseCategoricalCrossentropy on iris', () => {
  it('loads the target as integer class ids of shape [n, 1]', async () => {
    const ds = await loadDataset(
      { source: 'builtin:iris', target: 'species' },
      {
        projectDir: process.cwd(),
        inputShapes: [[4]],
        outputShapes: [[3]],
        losses: ['sparseCategoricalCrossentropy'],
        seed: 1,
      },
    );
    expect(ds.y.shape).toEqual([150, 1]);
    const ids = Array.from(ds.y.data);
    expect(ids.every((v) => Number.isInteger(v))).toBe(true);
    expect([...new Set(ids)].sort()).toEqual([0, 1, 2]);
    expect(ds.targetEncoding).toBe('index');
  });

  it('trains above 0.8 test accuracy and evaluate gives the confusion matrix again', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'nw-sparse-'));
    dirs.push(outDir);
    const outcome = await trainProject({
      project: await sparseIris(),
      projectPath: path.join(process.cwd(), 'resources/examples/iris-mlp.netwright.json'),
      outDir,
      epochs: 40,
      backend: 'auto',
    });
    expect(outcome.message).toBeUndefined();
    expect(outcome.status).toBe('complete');
    expect(outcome.history.at(-1)!.loss).toBeLessThan(outcome.history[0].loss);
    // The training metric compares argmax with the class id (not with an argmax over one column).
    expect(outcome.history.at(-1)!.metrics.accuracy).toBeGreaterThan(0.8);
    const m = outcome.metrics as ClassificationMetrics;
    expect(m.task).toBe('classification');
    expect(m.accuracy).toBeGreaterThan(0.8);
    expect(m.confusionMatrix.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    const cells = m.confusionMatrix.matrix.flat();
    expect(cells.reduce((a, b) => a + b, 0)).toBe(m.samples);
    const diagonal = m.confusionMatrix.matrix.reduce((a, row, i) => a + row[i], 0);
    expect(diagonal / m.samples).toBeCloseTo(m.accuracy, 10);

    const again = await evaluateRun(outcome.runDir, 'auto');
    expect(again.recomputed).toBe(true);
    expect((again.metrics as ClassificationMetrics).confusionMatrix).toEqual(m.confusionMatrix);
  });
});
