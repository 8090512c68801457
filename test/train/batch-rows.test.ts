// A batch cut from the training set: the same rows, in the asked order, on WebAssembly (written into
// the backend's memory) and on the JavaScript backend.
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { rowsTensor } from '../../engine/train/batch-rows.ts';

const data = { data: Float32Array.from({ length: 5 * 3 * 2 }, (_, i) => i + 0.5), shape: [5, 3, 2] };
const rows = Int32Array.from([4, 0, 2, 4]);
const expected = [...rows].flatMap((r) => Array.from({ length: 6 }, (_, j) => r * 6 + j + 0.5));

describe('rowsTensor', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`cuts rows on ${backend}`, async () => {
      const { tf } = await selectBackend(backend);
      const t = rowsTensor(tf, data, rows);
      expect(t.shape).toEqual([4, 3, 2]);
      expect(Array.from(t.dataSync())).toEqual(expected);
      // A second batch must not share or overwrite the first one's memory.
      const u = rowsTensor(tf, data, Int32Array.from([1]));
      expect(Array.from(u.dataSync())).toEqual([6.5, 7.5, 8.5, 9.5, 10.5, 11.5]);
      expect(Array.from(t.dataSync())).toEqual(expected);
      tf.dispose([t, u]);
    });
  }
});
