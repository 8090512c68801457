// A heat map averaged over the image and its mirror images (flipped left-right, top-bottom and
// both), each copy's map flipped back before averaging (docs/EXPLAIN.md, "mirrors"). A model may
// key on one side of an object (a dark spot's right rim, say): the mirrored copies put that side
// on the others, so the average is centred on the object. Only for images whose class does not
// depend on orientation; the class explained is the one chosen for the unflipped image.
import type * as tfjs from '@tensorflow/tfjs';

const FLIPS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

function flipped(tf: typeof tfjs, t: tfjs.Tensor, x: boolean, y: boolean): tfjs.Tensor {
  // [1, height, width, channels]: axis 2 is left-right, axis 1 top-bottom.
  return tf.tidy(() => {
    let r = t;
    if (x) r = r.reverse(2);
    if (y) r = r.reverse(1);
    return r === t ? t.clone() : r;
  });
}

/** Mean of `mapOf` (a height × width map of one image) over the image's four mirror images. */
export function mirrorAveraged(
  tf: typeof tfjs,
  inputs: tfjs.Tensor[],
  imageInput: number,
  mapOf: (inputs: tfjs.Tensor[]) => Float32Array,
): Float32Array {
  const [, height, width] = inputs[imageInput].shape as number[];
  const sum = new Float32Array(height * width);
  for (const [x, y] of FLIPS) {
    const image = flipped(tf, inputs[imageInput], x, y);
    try {
      const map = mapOf(inputs.map((t, i) => (i === imageInput ? image : t)));
      for (let r = 0; r < height; r++)
        for (let c = 0; c < width; c++)
          sum[r * width + c] += map[(y ? height - 1 - r : r) * width + (x ? width - 1 - c : c)];
    } finally {
      image.dispose();
    }
  }
  return sum.map((v) => v / FLIPS.length);
}
