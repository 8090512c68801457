// Every layer type trains on WebGPU: for each of the registry's examples, the forward output and the
// gradients with respect to every trainable weight and float input equal the pure-JS cpu backend's,
// relative to the largest value (≤ 1e-4), dilated convolutions included. The comparison itself is
// bench/gpu-check/layer-parity.ts, which the GPU check (npm run gpu:bundle) runs on real GPUs too.
// Here it runs on a real Dawn adapter (SwiftShader here and in CI).
import { beforeAll, describe, expect, it } from 'vitest';
import { compareOnWebGpu, layerCases, trainableTypes } from '../../bench/gpu-check/layer-parity.ts';
import { selectBackend } from '../../engine/backend.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

const CASES = layerCases();

describe('every layer type on WebGPU equals the cpu backend (forward and gradients)', () => {
  beforeAll(async () => {
    const gpu = await selectBackend('webgpu');
    // Every op on the GPU: tfjs-webgpu otherwise runs ops on tensors under 1000 values with its CPU
    // kernels, and these deliberately small cases would not exercise the GPU kernels at all.
    gpu.tf.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
  });

  it('has cases for every layer type in the registry', () => {
    const missing = trainableTypes().filter((t) => !CASES.some((c) => c.type === t));
    expect(missing).toEqual([]);
  });

  const all = CASES.map((c) => [c.type, c.index, c] as const);
  it.each(all)('%s #%i', async (_type, _i, c) => {
    const result = await compareOnWebGpu(c);
    expect(result.error).toBeUndefined();
    expect(result.gradients).toBeGreaterThan(0);
    const worse = Object.entries(result.diffs).filter(([, d]) => !(d <= 1e-4));
    expect(worse).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
