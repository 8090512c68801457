// The filter gradient of a 2-D convolution on WebGPU (engine/backends/webgpu-conv-filter-grad.ts:
// matrix products per filter tap instead of tfjs's one-thread-per-weight kernel) equals the pure-JS
// cpu backend's over strides, padding (same, valid, explicit), odd sizes, non-square and 1×1
// filters, one batch row and a Conv1D's shape, and releases every intermediate; on SwiftShader here.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { mulberry32 } from '../../engine/random.ts';
import { largestDivisorAtMost } from '../../engine/backends/webgpu-conv-filter-grad.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

const CASES: Case[] = [
  { name: '3×3 same, stride 1', x: [4, 8, 8, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: '3×3 same, stride 2, odd size', x: [3, 9, 7, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'same' },
  { name: '5×3 valid, strides 2×1', x: [2, 11, 8, 2], filter: [5, 3, 2, 3], strides: [2, 1], pad: 'valid' },
  {
    name: '4×4 same, stride 3 (padding at the end)',
    x: [2, 10, 10, 3],
    filter: [4, 4, 3, 2],
    strides: 3,
    pad: 'same',
  },
  { name: '1×1, one batch row', x: [1, 6, 5, 7], filter: [1, 1, 7, 4], strides: 1, pad: 'valid' },
  {
    name: 'explicit padding',
    x: [2, 6, 7, 2],
    filter: [3, 2, 2, 3],
    strides: [1, 2],
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
  {
    name: 'a Conv1D as tfjs runs it (height 1)',
    x: [5, 1, 40, 1],
    filter: [1, 9, 1, 16],
    strides: 1,
    pad: 'valid',
  },
];

function values(shape: number[], seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1);
}

/** d(sum(conv(x, f) · w))/df on the active backend. */
async function filterGradient(t: typeof tf, c: Case): Promise<Float32Array> {
  const x = t.tensor4d(values(c.x, 1), c.x);
  const f = t.tensor4d(values(c.filter, 2), c.filter);
  const conv = (k: tf.Tensor) => t.conv2d(x, k as tf.Tensor4D, c.strides, c.pad as never);
  const out = conv(f);
  const w = t.tensor(values(out.shape, 3), out.shape);
  const g = t.grad((k) => t.sum(t.mul(conv(k), w)))(f);
  const got = (await g.data()) as Float32Array;
  t.dispose([x, f, out, w, g]);
  return got;
}

describe('Conv2D filter gradient on WebGPU', () => {
  it.each(CASES)(
    '$name equals the cpu backend (pure JS)',
    async (c) => {
      const { tf: cpu } = await selectBackend('js');
      const want = await filterGradient(cpu, c);
      const { tf: gpu } = await selectBackend('webgpu');
      gpu.env().set('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD', 0);
      const buffers = () => (gpu.engine().backend as unknown as { numDataIds(): number }).numDataIds();
      const before = buffers();
      const got = await filterGradient(gpu, c);
      // Every intermediate of the kernel is released.
      expect(buffers()).toBe(before);
      expect(got.length).toBe(want.length);
      const scale = Math.max(...want.map(Math.abs));
      const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i])));
      expect(worst / scale).toBeLessThan(1e-5);
    },
    60_000,
  );

  it('groups batch rows by the largest divisor that fits', () => {
    expect(largestDivisorAtMost(256, 1024)).toBe(256);
    expect(largestDivisorAtMost(256, 100)).toBe(64);
    expect(largestDivisorAtMost(7, 4)).toBe(1);
    expect(largestDivisorAtMost(12, 0.5)).toBe(1);
  });
});
