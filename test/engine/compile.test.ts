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
