// Seeded randomness for the whole engine: the same seed gives the same split, the same synthetic
// dataset and the same initial weights on every machine. mulberry32 is a small, fast,
// well-distributed 32-bit PRNG returning floats in [0, 1).
//
// tfjs draws its weight initialisers and dropout masks from Math.random() when no seed is passed
// (and the layer specs pass none), so training runs those synchronous sections with Math.random
// swapped for a seeded generator (withRandom). Nothing else runs during a synchronous section, so no
// other code sees or consumes the seeded stream.
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The data module's stream: the seed mixed with the golden ratio, so data shuffles and synthetic
 * samples are independent of the weight initialisation drawn from the same project seed. */
export function createRng(seed: number): Rng {
  return mulberry32(Math.floor(seed) ^ 0x9e3779b9);
}

/** Run `fn` synchronously with Math.random replaced by `rng`. */
export function withRandom<T>(rng: Rng, fn: () => T): T {
  const original = Math.random;
  Math.random = rng;
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/** Fisher–Yates shuffle in place, for arrays and typed arrays alike. */
export function shuffleInPlace<A extends { length: number; [i: number]: unknown }>(items: A, rng: Rng): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/** Standard normal sample (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
