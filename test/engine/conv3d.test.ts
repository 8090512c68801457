// Conv3D, the third rank of the one convolution factory: its shapes and counts equal tfjs's (the
// examples run through layer-shapes.test.ts, ONNX parity through test/onnx/examples.test.ts). One
// refusal found by its ONNX parity: tfjs's 3D 'same' padding goes negative when a stride exceeds the
// kernel (no max(0, …) as in 2D), shifting the windows from what TensorFlow and ONNX compute.
import { describe, expect, it } from 'vitest';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { singleLayerGraph } from './graph-helpers.ts';

describe('Conv3D', () => {
  it('refuses padding same with a stride above the kernel, in one sentence', () => {
    const r = inspectGraph(
      singleLayerGraph([[6, 5, 4, 1]], 'Conv3D', {
        filters: 2,
        kernelSize: [2, 3, 1],
        strides: 2,
        padding: 'same',
      }),
    );
    expect(r.valid).toBe(false);
    expect(r.diagnostics.map((d) => [d.nodeId, d.message])).toEqual([
      [
        'layer',
        "Conv3D: with padding 'same', the strides may be no larger than kernelSize on each axis (TensorFlow.js shifts the windows otherwise); lower the strides, enlarge the kernel or use padding 'valid'.",
      ],
    ]);
  });

  it('accepts the same strides with padding valid, and with a kernel as large as the stride', () => {
    for (const params of [
      { kernelSize: [2, 3, 1], strides: 2, padding: 'valid' },
      { kernelSize: 2, strides: 2, padding: 'same' },
    ])
      expect(inspectGraph(singleLayerGraph([[6, 5, 4, 1]], 'Conv3D', { filters: 2, ...params })).valid).toBe(
        true,
      );
  });

  it('explains a wrong rank with the shape it expects', () => {
    const r = inspectGraph(singleLayerGraph([[8, 8, 3]], 'Conv3D', {}));
    expect(r.diagnostics[0].message).toMatch(/^Conv3D expects a volume \[depth, height, width, channels\]/);
  });
});
