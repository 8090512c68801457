// Epoch-end decisions, kept pure so they can be tested without tfjs: which value is "better" for a
// monitored quantity, early stopping, and the learning-rate schedules.
import type { EarlyStoppingConfig, LrScheduleConfig } from './config.ts';

export interface EpochValues {
  loss: number;
  metrics: Record<string, number>;
  valLoss?: number;
  valMetrics?: Record<string, number>;
}

/** The value of a monitor name ("loss", "val_loss", "accuracy", "val_mae"…) in an epoch's results. */
export function monitorValue(monitor: string, e: EpochValues): number | undefined {
  if (monitor === 'loss') return e.loss;
  if (monitor === 'val_loss') return e.valLoss;
  if (monitor.startsWith('val_')) return e.valMetrics?.[monitor.slice(4)];
  return e.metrics[monitor];
}

/** accuracy goes up, losses and errors go down. */
export const higherIsBetter = (monitor: string): boolean => monitor.replace(/^val_/, '') === 'accuracy';

/** Tracks the best value of one monitor; `update` says whether this epoch improved on it. */
export class BestTracker {
  best: number | null = null;
  bestEpoch: number | null = null;
  private wait = 0;
  constructor(
    readonly monitor: string,
    private readonly minDelta = 0,
  ) {}

  /** Returns true when `value` improves on the best by more than minDelta. */
  update(epoch: number, value: number | undefined): boolean {
    if (value === undefined || !Number.isFinite(value)) {
      this.wait++;
      return false;
    }
    const up = higherIsBetter(this.monitor);
    const improved =
      this.best === null || (up ? value > this.best + this.minDelta : value < this.best - this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
    } else this.wait++;
    return improved;
  }

  /** Epochs since the last improvement. */
  get epochsWithoutImprovement(): number {
    return this.wait;
  }

  resetWait(): void {
    this.wait = 0;
  }
}

/** Early stopping is due when the monitor has not improved for `patience` epochs (Keras semantics). */
export function earlyStopDue(tracker: BestTracker, config: EarlyStoppingConfig): boolean {
  return tracker.epochsWithoutImprovement >= Math.max(1, config.patience);
}

export class LrScheduler {
  private readonly tracker: BestTracker | null;
  constructor(
    readonly config: LrScheduleConfig,
    private readonly initialLr: number,
    defaultMonitor: string,
  ) {
    this.tracker =
      config.type === 'plateau' ? new BestTracker(config.monitor ?? defaultMonitor, config.minDelta) : null;
  }

  /** The learning rate for the epoch after `epoch` (1-based), given the current rate. */
  next(epoch: number, currentLr: number, values: EpochValues): number {
    const c = this.config;
    if (c.type === 'step') return this.initialLr * Math.pow(c.factor, Math.floor(epoch / c.every));
    const t = this.tracker!;
    t.update(epoch, monitorValue(t.monitor, values));
    if (t.epochsWithoutImprovement >= Math.max(1, c.patience)) {
      t.resetWait();
      return Math.max(currentLr * c.factor, c.minLearningRate);
    }
    return currentLr;
  }
}
