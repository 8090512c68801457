import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileGraph, CompileError } from '../../engine/compile/tfjs-model.ts';
import { loadExample } from '../../engine/examples.ts';

describe('compileGraph', () => {
  it('compiles the Iris example into a tfjs model with the inferred parameter count', async () => {
    const project = await loadExample('iris-mlp');
    const compiled = compileGraph(tf, project.graph);
    expect(compiled.model.countParams()).toBe(compiled.inspection.totalParams);
    expect(compiled.model.countParams()).toBe(4 * 16 + 16 + 16 * 3 + 3);
    expect(compiled.model.outputs[0].shape).toEqual([null, 3]);
    expect(compiled.inputIds).toEqual(['in']);
    expect(compiled.losses).toEqual(['categoricalCrossentropy']);
  });

  it('refuses an invalid graph with the first diagnostic', () => {
    const graph = {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [4] } },
        { id: 'd', type: 'Dense', params: { units: 0 } },
        { id: 'out', type: 'Output', params: {} },
      ],
      edges: [
        { id: 'a', source: 'in', target: 'd' },
        { id: 'b', source: 'd', target: 'out' },
      ],
    };
    expect(() => compileGraph(tf, graph)).toThrow(CompileError);
    expect(() => compileGraph(tf, graph)).toThrow(/d: Dense: "units" must be at least 1/);
  });
});

describe('tfjs layers format on disk', () => {
  it('saves and reloads a compiled model with identical predictions', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { saveLayersModel, loadLayersModel } = await import('../../engine/io/tfjs-files.ts');
    const project = await loadExample('iris-mlp');
    const { model } = compileGraph(tf, project.graph);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-model-'));
    await saveLayersModel(tf, model, dir);
    const again = await loadLayersModel(tf, dir);
    const x = tf.tensor2d([[5.1, 3.5, 1.4, 0.2]]);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (again.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
