// SYNTHETIC periodic series for the textbook sequence-regression example: two sines (periods 50 and
// 17 steps) plus seeded Gaussian noise (σ = 0.1). Columns: step, value.
import { createRng, gaussian } from '../../random.ts';

export function generateSine(steps: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: steps }, (_, t) => [
    t,
    Math.round(
      (Math.sin((2 * Math.PI * t) / 50) + 0.5 * Math.sin((2 * Math.PI * t) / 17) + 0.1 * gaussian(rng)) * 1e4,
    ) / 1e4,
  ]);
}
