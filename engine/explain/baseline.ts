// The reference input integrated gradients starts from, in the model's prepared (scaled) units:
// tables and series use the average training row (each feature at its training mean, one-hot
// slots at their category frequencies), images a black image.
import type { Preprocessing, TensorData } from '../data/types.ts';

/** One baseline sample per model input, shaped [1, ...sampleShape[i]]. */
export function baselineInputs(prep: Preprocessing, sampleShapes: number[][]): TensorData[] {
  return sampleShapes.map((shape, i) => {
    const scaler = prep.inputs[i];
    const black = prep.encodings[i]?.kind === 'image';
    const f = scaler.offset.length;
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let k = 0; k < size; k++) {
      const j = k % f;
      data[k] = ((black ? 0 : scaler.fill[j]) - scaler.offset[j]) / scaler.scale[j];
    }
    return { data, shape: [1, ...shape] };
  });
}
