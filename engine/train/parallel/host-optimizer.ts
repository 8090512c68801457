// The optimizer update of data-parallel training, computed on the host arrays the gradients already
// arrive in (the replica's in shared memory, the trainer's from dataSync) instead of through tfjs'
// optimizer: tfjs' Adam runs ~13 kernels per variable (while the replica waits), this is one pass
// over the weights (Adam in the project's SIMD kernel where the engine has WebAssembly SIMD). Same
// formulas as tfjs (adam_optimizer.ts, momentum_optimizer.ts, sgd_optimizer.ts); the JavaScript
// loops compute in float64, rounded to float32 at each stored value, so the weights match tfjs' to
// float rounding. The tfjs optimizer stays the source of the learning rate (schedules change it
// between steps); its own state is not used while this one runs.
import type * as tfjs from '@tensorflow/tfjs';
import { simdKernelsOn } from '../../kernels/simd/module.ts';

export interface HostOptimizer {
  /** weights[i] += update(grads[i]) in place, for every variable i. */
  apply(weights: Float32Array[], grads: Float32Array[]): void;
  /** The same on all variables end to end (weights and grads as long as the sizes together), the
   *  gradient being a·grads + b·second.grads when `second` is given (the row-weighted mean of two
   *  threads' shares); grads may be overwritten. */
  applyFlat(weights: Float32Array, grads: Float32Array, second?: SecondShare): void;
}

export interface SecondShare {
  grads: Float32Array;
  a: number;
  b: number;
}

export interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}
interface MomentumFields {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
}

/** A host twin of a fresh tfjs optimizer, or null for one it does not cover (rmsprop, adagrad) or
 *  one that has already taken steps (its state lives in tfjs variables). */
export function hostOptimizer(optimizer: tfjs.Optimizer, sizes: number[]): HostOptimizer | null {
  if (optimizer.iterations !== 0) return null;
  switch (optimizer.getClassName()) {
    case 'Adam':
      return adam(optimizer as unknown as AdamFields, sizes);
    case 'Momentum':
      return withFlat(momentum(optimizer as unknown as MomentumFields, sizes), sizes);
    case 'SGD':
      return withFlat(sgd(optimizer as unknown as { learningRate: number }), sizes);
    default:
      return null;
  }
}

function adam(o: AdamFields, sizes: number[]): HostOptimizer {
  return simdAdam(o, sizes) ?? withFlat(jsAdam(o, sizes), sizes);
}

type PerVariable = Pick<HostOptimizer, 'apply'>;

/** applyFlat through apply: the blend in JavaScript (float64, rounded once), then per variable. */
function withFlat(opt: PerVariable, sizes: number[]): HostOptimizer {
  const views = (flat: Float32Array) => {
    let at = 0;
    return sizes.map((n) => flat.subarray(at, (at += n)));
  };
  return {
    apply: (weights, grads) => opt.apply(weights, grads),
    applyFlat(weights, grads, second) {
      if (second) {
        const { a, b } = second;
        const h = second.grads;
        for (let j = 0; j < grads.length; j++) grads[j] = grads[j] * a + h[j] * b;
      }
      opt.apply(views(weights), views(grads));
    },
  };
}

/** The update's float32 constants for the current step, from tfjs' formulas. */
export function adamConstants(o: AdamFields, accBeta1: number, accBeta2: number) {
  return {
    b1: Math.fround(o.beta1),
    b2: Math.fround(o.beta2),
    c1: Math.fround(1 - o.beta1),
    c2: Math.fround(1 - o.beta2),
    d1: Math.fround(1 - accBeta1),
    d2: Math.fround(1 - accBeta2),
    eps: Math.fround(o.epsilon),
    step: Math.fround(-o.learningRate),
  };
}

/**
 * Adam in the project's SIMD kernel (kernels.wat adamStep) on a WebAssembly memory of its own that
 * holds the weights, the gradient and both moments (all variables end to end, padded to 4): float32
 * operations, tfjs' equations with its two divisions by constants as multiplications (kernels.wat), so
 * tfjs' Adam's numbers to float rounding, ~4× quicker than jsAdam.
 */
function simdAdam(o: AdamFields, sizes: number[]): HostOptimizer | null {
  const n = sizes.reduce((a, s) => a + s, 0);
  const total = Math.ceil(n / 4) * 4;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((total * 20) / 65536)) });
  const k = simdKernelsOn(memory);
  if (!k) return null;
  const f = new Float32Array(memory.buffer);
  // Weights, gradient, both moments, and a second share's gradient (applyFlat).
  const [W, G, M, V, H] = [0, 1, 2, 3, 4].map((i) => i * total);
  let accBeta1 = Math.fround(o.beta1);
  let accBeta2 = Math.fround(o.beta2);
  const step = () => {
    const c = adamConstants(o, accBeta1, accBeta2);
    k.adamStep(W * 4, G * 4, M * 4, V * 4, total, c.b1, c.b2, c.c1, c.c2, c.d1, c.d2, c.eps, c.step, W * 4);
    accBeta1 = Math.fround(accBeta1 * c.b1);
    accBeta2 = Math.fround(accBeta2 * c.b2);
  };
  return {
    apply(weights, grads) {
      let at = 0;
      weights.forEach((w, i) => {
        f.set(w, W + at);
        f.set(grads[i], G + at);
        at += w.length;
      });
      step();
      at = 0;
      for (const w of weights) {
        w.set(f.subarray(W + at, W + at + w.length));
        at += w.length;
      }
    },
    applyFlat(weights, grads, second) {
      f.set(weights, W);
      f.set(grads, G);
      if (second) {
        f.set(second.grads, H);
        k.blend(G * 4, H * 4, G * 4, total, Math.fround(second.a), Math.fround(second.b));
      }
      step();
      weights.set(f.subarray(W, W + n));
    },
  };
}

function jsAdam(o: AdamFields, sizes: number[]): PerVariable {
  const m = sizes.map((n) => new Float32Array(n));
  const v = sizes.map((n) => new Float32Array(n));
  // tfjs keeps beta^t in float32 variables, multiplied once per step.
  let accBeta1 = Math.fround(o.beta1);
  let accBeta2 = Math.fround(o.beta2);
  return {
    apply(weights, grads) {
      const { b1, b2, c1, c2, d1, d2, eps, step } = adamConstants(o, accBeta1, accBeta2);
      for (let i = 0; i < weights.length; i++) {
        const w = weights[i];
        const g = grads[i];
        const mi = m[i];
        const vi = v[i];
        for (let j = 0; j < w.length; j++) {
          const gj = g[j];
          const mj = (mi[j] = mi[j] * b1 + gj * c1);
          const vj = (vi[j] = vi[j] * b2 + gj * gj * c2);
          w[j] += (mj / d1 / (Math.sqrt(vj / d2) + eps)) * step;
        }
      }
      accBeta1 = Math.fround(accBeta1 * b1);
      accBeta2 = Math.fround(accBeta2 * b2);
    },
  };
}

/** For tests: the JavaScript Adam, whatever the engine supports. */
export const jsAdamForTests = (o: AdamFields, sizes: number[]): HostOptimizer =>
  withFlat(jsAdam(o, sizes), sizes);

function momentum(o: MomentumFields, sizes: number[]): PerVariable {
  const acc = sizes.map((n) => new Float32Array(n));
  return {
    apply(weights, grads) {
      const mu = Math.fround(o.momentum);
      const step = Math.fround(-o.learningRate);
      for (let i = 0; i < weights.length; i++) {
        const w = weights[i];
        const g = grads[i];
        const a = acc[i];
        for (let j = 0; j < w.length; j++) {
          // Rounded to float32 after each operation, as tfjs' kernels do.
          const aj = (a[j] = Math.fround(mu * a[j]) + g[j]);
          w[j] += Math.fround(step * (o.useNesterov ? Math.fround(g[j] + Math.fround(aj * mu)) : aj));
        }
      }
    },
  };
}

function sgd(o: { learningRate: number }): PerVariable {
  return {
    apply(weights, grads) {
      const step = Math.fround(-o.learningRate);
      for (let i = 0; i < weights.length; i++) {
        const w = weights[i];
        const g = grads[i];
        for (let j = 0; j < w.length; j++) w[j] += Math.fround(step * g[j]);
      }
    },
  };
}
