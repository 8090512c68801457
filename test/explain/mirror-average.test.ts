// Mirror averaging flips each copy's map back onto the original image: with a "method" whose map is
// the image itself, the average of the four copies is the image again, pixel for pixel.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mirrorAveraged } from '../../engine/explain/mirror-average.ts';

describe('mirrorAveraged', () => {
  it('returns each map to the unflipped image before averaging', async () => {
    await tf.setBackend('cpu');
    // 3 × 5, no symmetry: a flip that was not undone would move values.
    const pixels = Float32Array.from({ length: 15 }, (_, i) => (i * 7) % 11);
    const image = tf.tensor4d(pixels, [1, 3, 5, 1]);
    const other = tf.tensor2d([[1, 2]]);
    const seen: number[][] = [];
    const map = mirrorAveraged(tf, [other, image], 1, (inputs) => {
      expect(inputs[0]).toBe(other);
      const values = inputs[1].dataSync() as Float32Array;
      seen.push(Array.from(values));
      return values;
    });
    expect(Array.from(map)).toEqual(Array.from(pixels));
    // Four different copies were explained: the image and its three mirror images.
    expect(new Set(seen.map((s) => s.join())).size).toBe(4);
    tf.dispose([image, other]);
  });
});
