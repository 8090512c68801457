// The registry holds every node type of the project file format (docs/ARCHITECTURE.md, "Project file
// format"), each with usable defaults, help and UI text.
import { describe, expect, it } from 'vitest';
import { allLayers, layerTypes } from '../../engine/layers/registry.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { singleLayerGraph } from './graph-helpers.ts';
import { resolveParams } from '../../engine/layers/params.ts';
import { layerCatalog } from '../../engine/layers/catalog.ts';

// The node types of the file format: saved projects use these names, so each must stay registered.
const FORMAT_TYPES = [
  'Input',
  'Dense',
  'Conv1D',
  'Conv2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'AveragePooling1D',
  'AveragePooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Reshape',
  'Dropout',
  'BatchNormalization',
  'LayerNormalization',
  'Activation',
  'SimpleRNN',
  'LSTM',
  'GRU',
  'Embedding',
  'Add',
  'Multiply',
  'Average',
  'Concatenate',
  'Output',
];

describe('layer registry', () => {
  it('registers every node type of the project file format', () => {
    expect(FORMAT_TYPES.filter((t) => !layerTypes().includes(t))).toEqual([]);
  });

  it.each(
    allLayers()
      .filter((s) => s.arity.max > 0 && s.producesOutput)
      .map((s) => [s.type, s] as const),
  )('%s carries examples (the cases tests iterate), each valid', (_t, spec) => {
    expect(spec.examples?.length ?? 0).toBeGreaterThan(0);
    for (const e of spec.examples ?? []) {
      const r = inspectGraph(singleLayerGraph(e.inputs, spec.type, e.params));
      expect(r.diagnostics, JSON.stringify(e)).toEqual([]);
    }
  });

  it.each(allLayers().map((s) => [s.type, s] as const))(
    '%s has valid defaults, help and labelled params',
    (_t, spec) => {
      const { problems, warnings } = resolveParams(spec.params, {});
      expect(problems).toEqual([]);
      expect(warnings).toEqual([]);
      expect(spec.label.length).toBeGreaterThan(1);
      for (const text of [spec.help.summary, spec.help.equation, spec.help.whenToUse])
        expect(text.length).toBeGreaterThan(10);
      for (const p of spec.params) {
        expect(p.label.length, p.name).toBeGreaterThan(1);
        expect(p.help.length, p.name).toBeGreaterThan(5);
      }
      expect(spec.arity.min).toBeLessThanOrEqual(spec.arity.max);
    },
  );

  it('the catalog is JSON-safe (unbounded arity becomes null)', () => {
    const add = JSON.parse(JSON.stringify(layerCatalog())).find((l: { type: string }) => l.type === 'Add');
    expect(add.arity).toEqual({ min: 2, max: null });
  });
});
