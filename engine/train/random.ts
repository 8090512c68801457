// Seeded randomness for reproducible training. tfjs draws its weight initialisers and dropout masks
// from Math.random() when no seed is passed (and the layer specs pass none), so the trainer runs
// those synchronous sections with Math.random temporarily swapped for a seeded generator. Nothing
// else can run during a synchronous section, so no other code sees or consumes the seeded stream.

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run `fn` synchronously with Math.random replaced by `rng`. */
export function withRandom<T>(rng: () => number, fn: () => T): T {
  const original = Math.random;
  Math.random = rng;
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/** In-place Fisher–Yates shuffle driven by `rng`. */
export function shuffleInPlace(indices: Int32Array, rng: () => number): Int32Array {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}
