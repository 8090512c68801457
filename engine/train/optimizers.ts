// tfjs optimizers by the project's names, and learning-rate changes for the schedules.
import type * as tfjs from '@tensorflow/tfjs';

export type OptimizerType = 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad';

export interface OptimizerConfig {
  type: OptimizerType;
  learningRate?: number;
  /** momentum only (default 0.9). */
  momentum?: number;
}

/** Keras' defaults, so a project that names no learning rate trains the way tutorials expect. */
export const DEFAULT_LEARNING_RATE: Record<OptimizerType, number> = {
  sgd: 0.01,
  momentum: 0.01,
  adam: 0.001,
  rmsprop: 0.001,
  adagrad: 0.01,
};

export function createOptimizer(tf: typeof tfjs, config: OptimizerConfig): tfjs.Optimizer {
  const lr = config.learningRate ?? DEFAULT_LEARNING_RATE[config.type];
  switch (config.type) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, config.momentum ?? 0.9);
    case 'adam':
      return tf.train.adam(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    case 'adagrad':
      return tf.train.adagrad(lr);
  }
}

type WithLearningRate = { learningRate: number; setLearningRate?: (lr: number) => void };

export function getLearningRate(optimizer: tfjs.Optimizer): number {
  return (optimizer as unknown as WithLearningRate).learningRate;
}

/**
 * Change the learning rate of a live optimizer, keeping its accumulated state. SGD and momentum
 * cache −lr as a tensor (setLearningRate refreshes it); adam, rmsprop and adagrad read the
 * `learningRate` field at every step.
 */
export function setLearningRate(optimizer: tfjs.Optimizer, lr: number): void {
  const o = optimizer as unknown as WithLearningRate;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
