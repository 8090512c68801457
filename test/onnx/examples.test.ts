// Every layer kind's own examples (LayerSpec.examples, read from the registry: no list of type
// names) export to ONNX, compute the same function in onnxruntime-node (≤ 1e-4) and pass the official
// ONNX checker.
import { describe, expect, it } from 'vitest';
import { exportWithParity, exportedFiles, onnxCheckerErrors } from './harness.ts';
import { singleLayerGraph } from '../engine/graph-helpers.ts';
import { LAYER_CASES } from '../engine/layer-cases.ts';

describe('ONNX parity for every layer example', () => {
  it.each(
    LAYER_CASES.map((c, i) => [`${c[0]} #${i} ${JSON.stringify(c[1])} ${JSON.stringify(c[2])}`, c] as const),
  )('%s', async (label, [type, inputs, params]) => {
    const r = await exportWithParity(singleLayerGraph(inputs, type, params), { label: `example-${type}` });
    expect(r.passed, `${label}: max abs diff ${r.maxAbsDiff}`).toBe(true);
  });
});

it('every example file passes onnx.checker.check_model(full_check=True)', () => {
  const files = exportedFiles();
  expect(files.length).toBe(LAYER_CASES.length);
  expect(onnxCheckerErrors(files)).toEqual({});
}, 60_000);
