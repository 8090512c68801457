// SYNTHETIC surface-defect images for visual-inspection demos (no real factory data). Each sample is
// a brushed-metal texture (a base grey level, streaks along x, pixel noise and an illumination
// gradient); defective parts add one defect:
//   scratch — a thin straight bright or dark line at a random angle, 40–90 % of the part wide;
//   spot    — a dark round blob (pit or stain), radius 1.5–4 px at 32 px;
//   crack   — a dark jagged random-walk line.
// Everything comes from the seeded PRNG, so a seed always gives the same images. Generated at the
// Input's height × width (any size from 8 to 256), grayscale or RGB. Each defect's bounding box is
// returned too (null for ok parts), so explanations can be checked against where the defect is:
// the pixels where the defect changes the surface by at least half its full strength.
import { createRng, gaussian, type Rng } from '../../random.ts';

export const DEFECT_CLASSES = ['crack', 'ok', 'scratch', 'spot'] as const;

/** Pixel box of a defect: columns x0 ≤ x < x1, rows y0 ≤ y < y1. */
export interface DefectBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The box of the pixels within `pad` of [minX, maxX] × [minY, maxY], clipped to the image. */
function boxAround(
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
  pad: number,
  h: number,
  w: number,
) {
  return {
    x0: Math.max(0, Math.floor(minX - pad)),
    y0: Math.max(0, Math.floor(minY - pad)),
    x1: Math.min(w, Math.ceil(maxX + pad) + 1),
    y1: Math.min(h, Math.ceil(maxY + pad) + 1),
  };
}

export function generateDefects(
  perClass: number,
  height: number,
  width: number,
  channels: 1 | 3,
  seed: number,
) {
  const rng = createRng(seed);
  const k = DEFECT_CLASSES.length;
  const n = perClass * k;
  const per = height * width * channels;
  const x = new Float32Array(n * per);
  const labels = new Int32Array(n);
  const boxes: (DefectBox | null)[] = [];
  const img = new Float32Array(height * width);
  for (let i = 0; i < n; i++) {
    const label = i % k; // interleaved classes; splits shuffle anyway
    labels[i] = label;
    texture(img, height, width, rng);
    const cls = DEFECT_CLASSES[label];
    if (cls === 'scratch') boxes.push(scratch(img, height, width, rng));
    else if (cls === 'spot') boxes.push(spot(img, height, width, rng));
    else if (cls === 'crack') boxes.push(crack(img, height, width, rng));
    else boxes.push(null);
    const tint = channels === 3 ? [1, 0.98 + 0.02 * rng(), 0.95 + 0.05 * rng()] : [1];
    for (let p = 0; p < height * width; p++) {
      const v = Math.min(1, Math.max(0, img[p]));
      for (let c = 0; c < channels; c++) x[i * per + p * channels + c] = v * tint[c];
    }
  }
  return { x, labels, shape: [n, height, width, channels], boxes };
}

function texture(img: Float32Array, h: number, w: number, rng: Rng) {
  const base = 0.45 + 0.15 * rng();
  const gx = (rng() - 0.5) * 0.15;
  const gy = (rng() - 0.5) * 0.15;
  let streak = 0;
  for (let y = 0; y < h; y++) {
    streak = 0.7 * streak + 0.3 * gaussian(rng); // correlated across rows: brushed look
    for (let x = 0; x < w; x++) {
      img[y * w + x] =
        base + 0.035 * streak + 0.025 * gaussian(rng) + gx * (x / w - 0.5) + gy * (y / h - 0.5);
    }
  }
}

function scratch(img: Float32Array, h: number, w: number, rng: Rng): DefectBox {
  const size = Math.min(h, w);
  const len = (0.4 + 0.5 * rng()) * size;
  const angle = rng() * Math.PI;
  const cx = w * (0.3 + 0.4 * rng());
  const cy = h * (0.3 + 0.4 * rng());
  const ax = cx - (Math.cos(angle) * len) / 2;
  const ay = cy - (Math.sin(angle) * len) / 2;
  const bx = cx + (Math.cos(angle) * len) / 2;
  const by = cy + (Math.sin(angle) * len) / 2;
  const amp = (rng() < 0.5 ? 1 : -1) * (0.2 + 0.15 * rng());
  const half = Math.max(0.6, size / 40);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = segmentDistance(x, y, ax, ay, bx, by);
      if (d < half + 1) img[y * w + x] += amp * Math.max(0, 1 - Math.max(0, d - half + 0.5));
    }
  }
  // Full strength within `half` of the segment, fading to nothing one pixel further.
  return boxAround(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), half + 0.5, h, w);
}

function spot(img: Float32Array, h: number, w: number, rng: Rng): DefectBox {
  const size = Math.min(h, w);
  const r = ((1.5 + 2.5 * rng()) * size) / 32;
  const cx = w * (0.2 + 0.6 * rng());
  const cy = h * (0.2 + 0.6 * rng());
  const depth = 0.25 + 0.2 * rng();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (r * r);
      if (d2 < 4) img[y * w + x] -= depth * Math.exp(-d2);
    }
  }
  // exp(−d²/r²) ≥ ½ out to d = r·√ln 2.
  return boxAround(cx, cy, cx, cy, r * Math.sqrt(Math.LN2), h, w);
}

function crack(img: Float32Array, h: number, w: number, rng: Rng): DefectBox {
  const size = Math.min(h, w);
  let px = w * (0.2 + 0.6 * rng());
  let py = h * (0.2 + 0.6 * rng());
  let dir = rng() * 2 * Math.PI;
  const steps = Math.round((0.5 + 0.4 * rng()) * size * 1.5);
  const depth = 0.25 + 0.15 * rng();
  const darken = new Float32Array(h * w);
  const seen = { x0: px, y0: py, x1: px, y1: py };
  for (let s = 0; s < steps; s++) {
    dir += (rng() - 0.5) * 1.2; // jagged
    px += Math.cos(dir) * 0.7;
    py += Math.sin(dir) * 0.7;
    if (px < 0 || py < 0 || px >= w || py >= h) break;
    seen.x0 = Math.min(seen.x0, px);
    seen.y0 = Math.min(seen.y0, py);
    seen.x1 = Math.max(seen.x1, px);
    seen.y1 = Math.max(seen.y1, py);
    for (let y = Math.floor(py - 1); y <= Math.ceil(py + 1); y++) {
      for (let x = Math.floor(px - 1); x <= Math.ceil(px + 1); x++) {
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        const d = Math.hypot(x - px, y - py);
        darken[y * w + x] = Math.max(darken[y * w + x], depth * Math.max(0, 1 - d / 1.1));
      }
    }
  }
  for (let p = 0; p < h * w; p++) img[p] -= darken[p];
  // 1 − d/1.1 ≥ ½ out to d = 0.55 around the path.
  return boxAround(seen.x0, seen.y0, seen.x1, seen.y1, 0.55, h, w);
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
