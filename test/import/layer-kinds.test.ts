// The activation layers with settings survive Netwright's ONNX export → import: each comes back as
// the same kind with the same settings (ONNX stores floats as float32), its learned weights
// bit-identical, and the imported graph computes what the ONNX file computes.
import { describe, expect, it } from 'vitest';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { importOnnx } from '../../engine/import/onnx/import-onnx.ts';
import { verifyOnnxImport } from '../../engine/import/verify-onnx.ts';
import { chain, exportWithParity, tf, type LayerDef } from '../onnx/harness.ts';

type Case = [label: string, input: number[], layers: LayerDef[], expected: [string, Record<string, unknown>]];

const CASES: Case[] = [
  ['LeakyRelu', [6], [['LeakyReLU', { alpha: 0.1 }]], ['LeakyReLU', { alpha: 0.1 }]],
  ['Elu with alpha 0.5', [6], [['ELU', { alpha: 0.5 }]], ['ELU', { alpha: 0.5 }]],
  ['Clip from 0 (relu6)', [6], [['ReLU', { maxValue: 6 }]], ['ReLU', { maxValue: 6 }]],
  ['Softmax over axis 1', [3, 4], [['Softmax', { axis: 1 }]], ['Softmax', { axis: 1 }]],
  ['PRelu, a slope per value', [4, 3], [['PReLU', {}]], ['PReLU', { sharedAxes: null }]],
  [
    'PRelu, one slope per channel after a Conv2D',
    [5, 5, 2],
    [
      ['Conv2D', { filters: 3, kernelSize: 3 }],
      ['PReLU', { sharedAxes: [1, 2] }],
    ],
    ['PReLU', { sharedAxes: [1, 2] }],
  ],
];

describe('activation layers with settings: ONNX export → import', () => {
  it.each(CASES)('%s', async (label, input, layers, [type, params]) => {
    const exported = await exportWithParity(chain(input, ...layers), { label });
    expect(exported.passed).toBe(true);
    const imported = importOnnx(exported.bytes, 'layer');
    const node = inspectGraph(imported.graph).nodes.find((n) => n.id === `n${layers.length}`);
    expect(node?.type).toBe(type);
    for (const [name, value] of Object.entries(params)) {
      const back = node!.params[name];
      if (typeof value === 'number') expect(back as number).toBeCloseTo(value, 6);
      else expect(back).toEqual(value);
    }
    const parity = await verifyOnnxImport(tf, imported, exported.bytes);
    expect(parity.passed).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
  });
});
