// The optimizer update of data-parallel training, computed on the host arrays the gradients already
// arrive in (the replica's in shared memory, the trainer's from dataSync) instead of through tfjs'
// optimizer: tfjs' Adam runs ~13 kernels per variable (≈0.7 ms per CNN benchmark step, while the
// replica waits), this is one loop over the weights. Same formulas as tfjs (adam_optimizer.ts,
// momentum_optimizer.ts, sgd_optimizer.ts), in float64 rounded to float32 at each stored value, so
// the weights match tfjs' to float rounding. The tfjs optimizer stays the source of the learning
// rate (schedules change it between steps); its own state is not used while this one runs.
import type * as tfjs from '@tensorflow/tfjs';

export interface HostOptimizer {
  /** weights[i] += update(grads[i]) in place, for every variable i. */
  apply(weights: Float32Array[], grads: Float32Array[]): void;
}

interface AdamFields {
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
      return momentum(optimizer as unknown as MomentumFields, sizes);
    case 'SGD':
      return sgd(optimizer as unknown as { learningRate: number });
    default:
      return null;
  }
}

function adam(o: AdamFields, sizes: number[]): HostOptimizer {
  const m = sizes.map((n) => new Float32Array(n));
  const v = sizes.map((n) => new Float32Array(n));
  // tfjs keeps beta^t in float32 variables, multiplied once per step.
  let accBeta1 = Math.fround(o.beta1);
  let accBeta2 = Math.fround(o.beta2);
  return {
    apply(weights, grads) {
      const b1 = Math.fround(o.beta1);
      const b2 = Math.fround(o.beta2);
      const c1 = Math.fround(1 - o.beta1);
      const c2 = Math.fround(1 - o.beta2);
      const d1 = Math.fround(1 - accBeta1);
      const d2 = Math.fround(1 - accBeta2);
      const eps = Math.fround(o.epsilon);
      const step = Math.fround(-o.learningRate);
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

function momentum(o: MomentumFields, sizes: number[]): HostOptimizer {
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
          const aj = (a[j] = mu * a[j] + g[j]);
          w[j] += step * (o.useNesterov ? g[j] + aj * mu : aj);
        }
      }
    },
  };
}

function sgd(o: { learningRate: number }): HostOptimizer {
  return {
    apply(weights, grads) {
      const step = Math.fround(-o.learningRate);
      for (let i = 0; i < weights.length; i++) {
        const w = weights[i];
        const g = grads[i];
        for (let j = 0; j < w.length; j++) w[j] += step * g[j];
      }
    },
  };
}
