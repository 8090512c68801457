// Forward parity: for every layer type in the registry (over the shared spread of parameters) and
// every example project, model.py with the converted weights computes what tfjs computes, within
// 1e-4 relative (|torch − tfjs| ≤ 1e-4·max(1, |tfjs|)), in real python3 + torch 1.13; and the
// generated file has no unused imports and no line over 100 characters.
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { layerTypes } from '../../engine/layers/registry.ts';
import { listExamples, loadExample } from '../../engine/examples.ts';
import { singleLayerGraph } from '../engine/graph-helpers.ts';
import { LAYER_CASES } from '../engine/layer-cases.ts';
import { randomizeWeights, tf, torchParity, type ParityCase } from './harness.ts';

const TOLERANCE = 1e-4;

describe('model.py computes what tfjs computes', () => {
  it('every registered layer type has a case', () => {
    const covered = new Set(['Input', 'Output', ...LAYER_CASES.map((c) => c[0])]);
    expect(layerTypes().filter((t) => !covered.has(t))).toEqual([]);
  });

  it('for every layer case and every example project, within 1e-4 relative', async () => {
    const cases: ParityCase[] = LAYER_CASES.map(([type, inputs, params], i) => {
      const { model, inspection } = compileGraph(tf, singleLayerGraph(inputs, type, params));
      randomizeWeights(model, i + 1);
      return { label: `${type} ${JSON.stringify(inputs)} ${JSON.stringify(params)}`, model, inspection };
    });
    for (const example of await listExamples()) {
      const project = await loadExample(example.id);
      const { model, inspection } = compileGraph(tf, project.graph);
      randomizeWeights(model, 7);
      cases.push({ label: `example ${example.id}`, model, inspection });
    }
    const results = await torchParity(cases);
    cases.forEach((c) => c.model.dispose());
    expect(results.map((r) => r.label)).toEqual(cases.map((c) => c.label));
    const failures = results.filter((r) => r.error || !(r.maxRel <= TOLERANCE));
    expect(failures).toEqual([]);
    expect(results.length).toBeGreaterThan(LAYER_CASES.length);
    // Code a person would write: no unused imports, lines of a readable length.
    expect(results.filter((r) => r.unusedImports.length)).toEqual([]);
    expect(Math.max(...results.map((r) => r.longestLine))).toBeLessThanOrEqual(100);
  }, 120_000);
});
