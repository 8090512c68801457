// SYNTHETIC bearing vibration signals for predictive-maintenance demos (no real machine data),
// modelled on the physics used with the well-known CWRU bearing data: accelerometer sampled at
// 12 kHz, shaft turning at about 1797 rpm (fr ≈ 29.95 Hz ± 5 %).
//   healthy    — shaft rotation (1× and 2× fr sinusoids) + broadband Gaussian noise;
//   outer-race — plus a train of impacts at BPFO ≈ 3.585·fr (≈ 107 Hz), each exciting a structural
//                resonance (≈ 3 kHz, decaying in ≈ 1 ms);
//   inner-race — impacts at BPFI ≈ 5.415·fr (≈ 162 Hz), amplitude-modulated once per shaft turn as
//                the defect passes through the load zone.
// Amplitudes, noise level, phases and speed vary per sample; a seed always gives the same signals.
import { createRng, gaussian, type Rng } from '../../random.ts';

export const BEARING_CLASSES = ['healthy', 'inner-race', 'outer-race'] as const;
export const SAMPLE_RATE_HZ = 12000;

export function generateBearings(perClass: number, length: number, seed: number) {
  const rng = createRng(seed);
  const k = BEARING_CLASSES.length;
  const n = perClass * k;
  const x = new Float32Array(n * length);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % k;
    labels[i] = label;
    signal(x.subarray(i * length, (i + 1) * length), BEARING_CLASSES[label], rng);
  }
  return { x, labels, shape: [n, length, 1] };
}

function signal(out: Float32Array, cls: (typeof BEARING_CLASSES)[number], rng: Rng) {
  const fr = 29.95 * (0.95 + 0.1 * rng());
  const phase = rng() * 2 * Math.PI;
  const noise = 0.1 + 0.15 * rng();
  const a1 = 0.2 + 0.2 * rng();
  const a2 = 0.05 + 0.1 * rng();
  for (let t = 0; t < out.length; t++) {
    const s = t / SAMPLE_RATE_HZ;
    out[t] =
      a1 * Math.sin(2 * Math.PI * fr * s + phase) +
      a2 * Math.sin(4 * Math.PI * fr * s + 2 * phase) +
      noise * gaussian(rng);
  }
  if (cls === 'healthy') return;
  const fault = cls === 'outer-race' ? 3.585 * fr : 5.415 * fr;
  const resonance = 3000 * (0.9 + 0.2 * rng());
  const decay = 0.0008 + 0.0006 * rng();
  const amp = 0.8 + 1.4 * rng();
  const period = 1 / fault;
  const duration = out.length / SAMPLE_RATE_HZ;
  for (let tk = -rng() * period; tk < duration; tk += period * (1 + 0.01 * gaussian(rng))) {
    const gain = cls === 'inner-race' ? amp * (0.6 + 0.4 * Math.cos(2 * Math.PI * fr * tk + phase)) : amp;
    const first = Math.max(0, Math.ceil(tk * SAMPLE_RATE_HZ));
    const last = Math.min(out.length, Math.ceil((tk + 8 * decay) * SAMPLE_RATE_HZ));
    for (let t = first; t < last; t++) {
      const dt = t / SAMPLE_RATE_HZ - tk;
      out[t] += gain * Math.exp(-dt / decay) * Math.sin(2 * Math.PI * resonance * dt);
    }
  }
}
