// What the deployment model is fed in its parity check: raw samples (a run's test rows before
// preprocessing, plus one row of blanks for tables), laid out as its graph inputs (one [N, 1] tensor
// per column, category names as strings, pixels in 0–255), and seeded raw samples when the run's
// data can't be loaded again.
import type { InputEncoding, Preprocessing, TensorData } from '../data/types.ts';
import { gaussian, mulberry32 } from '../random.ts';

export interface RawFeed {
  type: 'float32' | 'string';
  data: Float32Array | string[];
  dims: number[];
}

const PIXEL_MAX = 255;
const SEEDED_SAMPLES = 8;

/** Graph-input feeds for raw inputs `x` (one tensor per model input, as the data module loads them). */
export function pipelineFeeds(prep: Preprocessing, x: TensorData[]): Record<string, RawFeed> {
  const feeds: Record<string, RawFeed> = {};
  prep.encodings.forEach((enc, i) => {
    const t = x[i];
    const n = t.shape[0];
    switch (enc.kind) {
      case 'tabular': {
        const width = t.data.length / Math.max(1, n);
        let slot = 0;
        for (const c of enc.columns) {
          const at = slot;
          if (c.kind === 'numeric') {
            feeds[c.name] = {
              type: 'float32',
              data: Float32Array.from({ length: n }, (_, r) => t.data[r * width + at]),
              dims: [n, 1],
            };
            slot += 1;
          } else {
            const data = Array.from({ length: n }, (_, r) => {
              const k = c.categories.findIndex((_, j) => t.data[r * width + at + j] === 1);
              return k < 0 ? '' : c.categories[k];
            });
            feeds[c.name] = { type: 'string', data, dims: [n, 1] };
            slot += c.categories.length;
          }
        }
        return;
      }
      case 'image':
        feeds.image = {
          type: 'float32',
          data: Float32Array.from(t.data, (v) => v * PIXEL_MAX),
          dims: [...t.shape],
        };
        return;
      case 'window':
        feeds.window = { type: 'float32', data: t.data, dims: [...t.shape] };
        return;
      case 'raw':
        feeds.signal = { type: 'float32', data: t.data, dims: [...t.shape] };
    }
  });
  return feeds;
}

/** `x` with one more sample whose every cell is blank (tables: NaN numbers, no category). */
export function withBlankRow(prep: Preprocessing, x: TensorData[]): TensorData[] {
  if (!prep.encodings.every((e) => e.kind === 'tabular')) return x;
  return x.map((t, i) => {
    const enc = prep.encodings[i] as Extract<InputEncoding, { kind: 'tabular' }>;
    const blank = enc.columns.flatMap((c) => (c.kind === 'numeric' ? [NaN] : c.categories.map(() => 0)));
    const data = new Float32Array(t.data.length + blank.length);
    data.set(t.data);
    data.set(blank, t.data.length);
    return { data, shape: [t.shape[0] + 1, ...t.shape.slice(1)] };
  });
}

/** Seeded raw samples in each input's training range, for a run whose data can't be loaded again. */
export function seededRawInputs(prep: Preprocessing, seed: number, n = SEEDED_SAMPLES): TensorData[] {
  const rng = mulberry32(seed);
  return prep.encodings.map((enc, i) => {
    const s = prep.inputs[i];
    const f = s.offset.length;
    const shape = rowShape(enc, f);
    const per = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n * per);
    if (enc.kind === 'tabular') {
      for (let r = 0; r < n; r++) {
        let slot = 0;
        for (const c of enc.columns) {
          if (c.kind === 'numeric')
            data[r * per + slot++] = s.fill[slot - 1] + s.scale[slot - 1] * gaussian(rng);
          else {
            data[r * per + slot + Math.floor(rng() * c.categories.length)] = 1;
            slot += c.categories.length;
          }
        }
      }
    } else if (enc.kind === 'image') {
      for (let k = 0; k < data.length; k++) data[k] = Math.round(rng() * PIXEL_MAX) / PIXEL_MAX;
    } else {
      for (let k = 0; k < data.length; k++) data[k] = s.fill[k % f] + s.scale[k % f] * gaussian(rng);
    }
    return { data, shape: [n, ...shape] };
  });
}

function rowShape(enc: InputEncoding, features: number): number[] {
  switch (enc.kind) {
    case 'tabular':
      return [features];
    case 'image':
      return [enc.height, enc.width, enc.channels];
    case 'window':
      return [enc.length, enc.columns.length];
    case 'raw':
      return [...enc.shape];
  }
}
