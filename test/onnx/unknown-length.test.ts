// Sequences of unknown length (Input size -1) through 'same' windows: with stride 1 the pads do not
// depend on the length, so they are written out (onnxruntime refuses a dilated Conv with auto_pad,
// found by test/reliability/layer-property.test.ts); strided ones keep SAME_UPPER. Parity checked
// in onnxruntime-node on a length the model never saw at export time.
import { describe, expect, it } from 'vitest';
import { chain, exportWithParity, type LayerDef } from './harness.ts';

const CASES: [string, LayerDef[]][] = [
  ['dilated Conv1D, same', [['Conv1D', { filters: 3, kernelSize: 2, padding: 'same', dilationRate: 2 }]]],
  [
    'dilated Conv1D, same, kernel 3',
    [['Conv1D', { filters: 2, kernelSize: 3, padding: 'same', dilationRate: 3 }]],
  ],
  ['Conv1D, same, stride 2', [['Conv1D', { filters: 2, kernelSize: 3, padding: 'same', strides: 2 }]]],
  ['MaxPooling1D, same, stride 1', [['MaxPooling1D', { poolSize: 3, strides: 1, padding: 'same' }]]],
  ['AveragePooling1D, same, stride 1', [['AveragePooling1D', { poolSize: 2, strides: 1, padding: 'same' }]]],
];

describe('ONNX export of windows over sequences of unknown length', () => {
  it.each(CASES)('%s', async (label, layers) => {
    const r = await exportWithParity(chain([-1, 4], ...layers), { label });
    expect(r.passed, `${label}: max abs diff ${r.maxAbsDiff}`).toBe(true);
  });
});
