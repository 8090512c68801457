// Layer kinds that are Netwright's own tfjs classes (engine/layers/custom-tfjs.ts) survive a run
// folder: `netwright train` saves them in model.json, and `netwright evaluate`, a fresh process,
// loads that model and recomputes exactly the metrics training wrote.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../engine/project/schema.ts';
import { netwright } from './run-cli.ts';

describe('custom tfjs layer classes in a run folder', () => {
  it('train saves ReLU(slope, threshold, cap), ELU(alpha 0.5) and Softmax; evaluate loads and recomputes them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-custom-layers-'));
    const project = JSON.parse(
      await readFile('resources/examples/iris-mlp.netwright.json', 'utf8'),
    ) as Project;
    const layers: [string, string, Record<string, unknown>][] = [
      ['d1', 'Dense', { units: 8 }],
      ['r', 'ReLU', { maxValue: 2, negativeSlope: 0.1, threshold: 0.1 }],
      ['e', 'ELU', { alpha: 0.5 }],
      ['d2', 'Dense', { units: 3 }],
      ['s', 'Softmax', { axis: -1 }],
    ];
    const ids = ['in', ...layers.map((l) => l[0]), 'out'];
    project.graph = {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [4] } },
        ...layers.map(([id, type, params]) => ({ id, type, params: params as never })),
        { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
      ],
      edges: ids.slice(1).map((id, i) => ({ id: `e${i}`, source: ids[i], target: id })),
    };
    const file = path.join(dir, 'iris-custom.netwright.json');
    await writeFile(file, JSON.stringify(project));
    // The data path in the example is relative to resources/examples; a builtin source needs none.
    expect(project.data?.source).toMatch(/^builtin:/);
    const run = path.join(dir, 'run');
    const trained = await netwright('train', file, '--out', run, '--epochs', '2', '--seed', '4');
    expect(trained.code, trained.stderr).toBe(0);
    const saved = JSON.parse(await readFile(path.join(run, 'model', 'model.json'), 'utf8'));
    const classes = saved.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    expect(classes).toEqual(expect.arrayContaining(['ReLU', 'ELU', 'Softmax']));

    const evaluated = await netwright('evaluate', run, '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report.recomputed).toBe(true);
    expect(report.metrics).toEqual(JSON.parse(await readFile(path.join(run, 'metrics.json'), 'utf8')));
  }, 120_000);
});
