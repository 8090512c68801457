// Phone and camera JPEGs are often stored sideways with an EXIF Orientation tag saying how to turn
// them upright; viewers apply it, so a model trained on the stored pixels would see sideways parts.
import ExifReader from 'exifreader';

export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** The EXIF Orientation (1–8) of a JPEG, or 1 when it has none or its metadata can't be read. */
export function jpegOrientation(bytes: Uint8Array): number {
  try {
    const value = ExifReader.load(bytes as Buffer).Orientation?.value;
    return typeof value === 'number' && value >= 1 && value <= 8 ? value : 1;
  } catch {
    return 1; // unreadable metadata: the pixels are still usable as stored
  }
}

/**
 * The image as a viewer shows it. For each upright pixel (X, Y), the stored pixel it comes from:
 * 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90°
 * counter-clockwise (orientations 5–8 swap width and height).
 */
export function applyOrientation(img: RgbaImage, orientation: number): RgbaImage {
  if (orientation <= 1 || orientation > 8) return img;
  const { width: w, height: h, rgba } = img;
  const swap = orientation >= 5;
  const W = swap ? h : w;
  const H = swap ? w : h;
  const source: (X: number, Y: number) => [number, number] = {
    2: (X: number, Y: number): [number, number] => [w - 1 - X, Y],
    3: (X: number, Y: number): [number, number] => [w - 1 - X, h - 1 - Y],
    4: (X: number, Y: number): [number, number] => [X, h - 1 - Y],
    5: (X: number, Y: number): [number, number] => [Y, X],
    6: (X: number, Y: number): [number, number] => [Y, h - 1 - X],
    7: (X: number, Y: number): [number, number] => [w - 1 - Y, h - 1 - X],
    8: (X: number, Y: number): [number, number] => [w - 1 - Y, X],
  }[orientation]!;
  const out = new Uint8Array(W * H * 4);
  for (let Y = 0; Y < H; Y++) {
    for (let X = 0; X < W; X++) {
      const [x, y] = source(X, Y);
      out.set(rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 4), (Y * W + X) * 4);
    }
  }
  return { width: W, height: H, rgba: out };
}
