// The training loop: mini-batch gradient descent on in-memory tensors, with seeded shuffling and
// dropout, early stopping, learning-rate schedules, throttled progress, cancellation that keeps the
// best weights, and a clear stop when the loss stops being a finite number.
//
// API: trainLoop(options) → TrainLoopResult. The caller owns the model (compiled by compileGraph),
// the data (plain TensorData, already preprocessed) and what happens to progress and checkpoints.
// This file is the hot path; keep everything that runs per batch here.
import type * as tfjs from '@tensorflow/tfjs';
import type { TensorData } from '../data/types.ts';
import { BestTracker, earlyStopDue, LrScheduler, monitorValue, type EpochValues } from './callbacks.ts';
import type { EarlyStoppingConfig, LrScheduleConfig } from './config.ts';
import { lossFunction, metricFunction, metricNameFor, type LossName } from './losses.ts';
import { createOptimizer, getLearningRate, setLearningRate, type OptimizerConfig } from './optimizers.ts';
import { mulberry32, shuffleInPlace, withRandom } from '../random.ts';
import { startDataParallel, type DataParallel } from './parallel/data-parallel.ts';
import { rowsTensor } from './batch-rows.ts';
import { planDataParallel } from './parallel/plan.ts';
import { fusedBatchNormApplies } from '../kernels/fused-batch-norm.ts';
import { hostStep } from './host-step.ts';
import { describeDeviceError } from '../backends/webgpu-errors.ts';

export interface LoopSplit {
  /** One tensor per model input, [N, ...inputShape]. */
  x: TensorData[];
  /** Targets in the form the loss expects, [N, k]. */
  y: TensorData;
}

/**
 * A training split read batch by batch (a large CSV's cache on disk, engine/data/stream/): one
 * model input; `take` returns the samples at the given indices, preprocessed.
 */
export interface RowSource {
  samples: number;
  /** One sample's input shape and target shape. */
  xShape: number[];
  yShape: number[];
  take(rows: ArrayLike<number>): { x: Float32Array; y: Float32Array };
}

export const isRowSource = (t: LoopSplit | RowSource): t is RowSource => 'take' in t;

export interface EpochRecord extends EpochValues {
  /** 1-based. */
  epoch: number;
  learningRate: number;
  seconds: number;
  /**
   * The training loss through the epoch: the mean batch loss over up to BATCH_CURVE_POINTS equal
   * stretches of its batches, in order (the Runs tab overlays runs per batch with it).
   */
  batchLosses?: number[];
}

/** Points per epoch of the saved per-batch curve: enough to see the shape, small enough for history.json. */
export const BATCH_CURVE_POINTS = 20;

export interface LoopProgress {
  phase: 'batch' | 'epoch';
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** 1-based, batch events only. */
  batch?: number;
  batches: number;
  loss: number;
  metrics: Record<string, number>;
  valLoss?: number;
  valMetrics?: Record<string, number>;
  learningRate: number;
  samplesPerSec: number;
  /** Absent until a rate has been measured past the first batch (which also compiles kernels). */
  etaSec?: number;
}

const withEta = (etaSec: number | undefined) => (etaSec === undefined ? {} : { etaSec });

export interface TrainLoopOptions {
  tf: typeof tfjs;
  model: tfjs.LayersModel;
  loss: LossName;
  train: LoopSplit | RowSource;
  validation?: LoopSplit | null;
  optimizer: OptimizerConfig;
  epochs: number;
  batchSize: number;
  seed: number;
  earlyStopping?: EarlyStoppingConfig | null;
  lrSchedule?: LrScheduleConfig | null;
  /** Abort to cancel: the loop stops after the current batch and restores the best weights. */
  signal?: AbortSignal;
  onProgress?: (p: LoopProgress) => void;
  /** Called when an epoch sets a new best (the model holds those weights during the call). */
  onBestWeights?: (epoch: number) => void | Promise<void>;
  /**
   * Minimum time between onBestWeights calls (default 0: every new best). A best that comes sooner
   * is not dropped: it is offered at the first epoch end once the interval has passed, with its
   * weights put back in the model for the call.
   */
  bestWeightsEveryMs?: number;
  /** Minimum time between batch progress events (default 100 ms, i.e. at most 10 per second). */
  batchEventIntervalMs?: number;
  /** false: one thread; true: split batches across 2 threads wherever correct; unset: where parallel/plan.ts says it pays. */
  dataParallel?: boolean;
  /** GPU backends: the device's error since the last call (ops on a buffer it could not hold do nothing). */
  takeDeviceError?: () => string | null;
}

export interface TrainLoopResult {
  status: 'complete' | 'cancelled' | 'failed';
  /** Set when status is 'failed': one plain sentence. */
  message?: string;
  stoppedEarly: boolean;
  history: EpochRecord[];
  /** What "best" means: loss, val_loss, accuracy… */
  monitor: string;
  bestEpoch: number | null;
  bestValue: number | null;
  /** True when the model was reset to the best epoch's weights at the end. */
  restoredBestWeights: boolean;
  /** Threads that computed gradients (2 with data parallelism) and why. */
  threads: number;
  threadsReason: string;
}

/** Time between yields to the event loop, so cancel messages, timers and signals get through. */
const YIELD_EVERY_MS = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function trainLoop(o: TrainLoopOptions): Promise<TrainLoopResult> {
  const { tf, model } = o;
  if (model.outputs.length !== 1)
    throw new Error(`Training needs exactly one Output node; this graph has ${model.outputs.length}.`);
  const source = isRowSource(o.train) ? o.train : null;
  const inMemory = isRowSource(o.train) ? null : o.train;
  const n = source ? source.samples : inMemory!.y.shape[0];
  if (n === 0)
    throw new Error(
      'The training split is empty; add data or lower data.testSplit / training.validationSplit.',
    );
  const batchSize = Math.max(1, Math.min(o.batchSize, n));
  const batches = Math.ceil(n / batchSize);
  const hasVal = !!o.validation && o.validation.y.shape[0] > 0;
  const metricName = metricNameFor(o.loss);
  const lossFn = lossFunction(tf, o.loss);
  const metricFn = metricFunction(tf, o.loss);
  const interval = o.batchEventIntervalMs ?? 100;

  // Separate streams, so changing the dropout layout does not change the shuffling order.
  const dropoutRng = mulberry32(o.seed ^ 0x5bd1e995);
  const shuffleRng = mulberry32(o.seed + 1);

  const optimizer = createOptimizer(tf, o.optimizer);
  const initialLr = getLearningRate(optimizer);
  const monitor = usableMonitor(o.earlyStopping?.monitor ?? (hasVal ? 'val_loss' : 'loss'), hasVal);
  const tracker = new BestTracker(monitor, o.earlyStopping?.minDelta ?? 0);
  const scheduler = o.lrSchedule
    ? new LrScheduler(
        o.lrSchedule.type === 'plateau'
          ? { ...o.lrSchedule, monitor: usableMonitor(o.lrSchedule.monitor ?? monitor, hasVal) }
          : o.lrSchedule,
        initialLr,
        monitor,
      )
    : null;

  const vx = hasVal ? o.validation!.x.map((t) => tf.tensor(t.data, t.shape)) : [];
  const vy = hasVal ? tf.tensor(o.validation!.y.data, o.validation!.y.shape) : null;
  const trainable = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const history: EpochRecord[] = [];
  let best: tfjs.Tensor[] | null = null;
  /** A best not yet handed to onBestWeights (throttled by bestWeightsEveryMs). */
  let unsavedBest = false;
  let lastBestCall = -Infinity;
  let status: TrainLoopResult['status'] = 'complete';
  let message: string | undefined;
  let stoppedEarly = false;
  let samplesDone = 0;
  const totalSamples = n * o.epochs;
  let lastYield = performance.now();
  let lastBatchEvent = -Infinity;

  const apply = (inputs: tfjs.Tensor[], training: boolean) =>
    model.apply(inputs.length === 1 ? inputs[0] : inputs, { training }) as tfjs.Tensor;

  /** Batch `rows` as tensors, cut from the host copy: cheaper than tf.gather on the device copy
   *  (wasm GatherV2 was ~9% of CNN training time in node --cpu-prof). */
  const batchOf = (rows: Int32Array): [tfjs.Tensor[], tfjs.Tensor] => {
    if (source) {
      const batch = source.take(rows);
      return [
        [tf.tensor(batch.x, [rows.length, ...source.xShape])],
        tf.tensor(batch.y, [rows.length, ...source.yShape]),
      ];
    }
    const t = inMemory!;
    return [t.x.map((x) => rowsTensor(tf, x, rows)), rowsTensor(tf, t.y, rows)];
  };

  /** One optimisation step on rows `rows`; returns [loss, metric] scalars (caller disposes). */
  const step = (rows: Int32Array): [tfjs.Scalar, tfjs.Scalar] => {
    const [bx, by] = batchOf(rows);
    let metric: tfjs.Scalar | null = null;
    const loss = optimizer.minimize(
      () => {
        const pred = apply(bx, true);
        metric = tf.keep(metricFn(by, pred));
        let total = lossFn(by, pred);
        for (const r of model.calculateLosses()) total = tf.add(total, r);
        return total;
      },
      true,
      trainable,
    )!;
    tf.dispose([...bx, by]);
    return [loss, metric!];
  };

  const evaluateValidation = async (): Promise<{ loss: number; metric: number }> => {
    const m = vy!.shape[0];
    const evalBatch = Math.max(batchSize, 256);
    let lossSum = 0;
    let metricSum = 0;
    for (let start = 0; start < m; start += evalBatch) {
      const size = Math.min(evalBatch, m - start);
      const both = tf.tidy(() => {
        const bx = vx.map((x) => tf.slice(x, start, size));
        const by = tf.slice(vy!, start, size);
        const pred = apply(bx, false);
        return tf.stack([lossFn(by, pred), metricFn(by, pred)]);
      });
      const [l, mt] = await readScalars(both);
      lossSum += l * size;
      metricSum += mt * size;
    }
    const regLosses = tf.tidy(() => model.calculateLosses().map((r) => tf.reshape(r, [1])));
    const reg = regLosses.length ? (await readScalars(tf.concat(regLosses))).reduce((a, b) => a + b, 0) : 0;
    tf.dispose(regLosses);
    return { loss: lossSum / m + reg, metric: metricSum / m };
  };

  // The first batch of a run pays for kernel compilation and warm-up: measure the rate after it, and
  // give no estimate until that measurement covers a quarter of a second.
  let rateFrom: { at: number; samples: number } | null = null;
  const eta = (): number | undefined => {
    if (samplesDone >= totalSamples) return 0;
    if (!rateFrom) return undefined;
    const seconds = (performance.now() - rateFrom.at) / 1000;
    const rate = (samplesDone - rateFrom.samples) / Math.max(1e-9, seconds);
    return seconds < 0.25 || rate <= 0 ? undefined : (totalSamples - samplesDone) / rate;
  };

  const plan = planDataParallel({
    backendId: tf.getBackend(),
    batchSize,
    layerTypes: model.layers.map((l) => l.getClassName()),
    unsharedStats: model.layers.find(
      (l) => l.getClassName() === 'BatchNormalization' && !fusedBatchNormApplies(l),
    )?.name,
    enabled: o.dataParallel,
  });
  let threadsReason = plan.reason;
  let parallel: DataParallel | null = null;
  if (source && plan.threads > 1) threadsReason = 'one thread: the training data is read from disk';
  else if (plan.threads > 1 && n > batchSize / 2) {
    parallel = await startDataParallel({
      tf,
      model,
      optimizer,
      loss: o.loss,
      train: inMemory!,
      batchSize,
      seed: o.seed,
    }).catch((err: unknown) => {
      threadsReason = `one thread: ${err instanceof Error ? err.message : String(err)}`;
      return null;
    });
  }

  // One thread on WebAssembly: the loss and the optimizer on the host (host-step.ts).
  const onHost = parallel ? null : hostStep(tf, model, optimizer, o.loss);
  const hostStepOn = (rows: Int32Array): [number, number] => {
    const [bx, by] = batchOf(rows);
    try {
      return onHost!.step(bx, by);
    } finally {
      tf.dispose([...bx, by]);
    }
  };

  try {
    epochs: for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const epochStart = performance.now();
      shuffleInPlace(order, shuffleRng);
      let lossSum = 0;
      let metricSum = 0;
      let seen = 0;
      const curvePoints = Math.min(BATCH_CURVE_POINTS, batches);
      const curveSum = new Float64Array(curvePoints);
      const curveSeen = new Float64Array(curvePoints);
      for (let b = 0; b < batches; b++) {
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        if (o.signal?.aborted) {
          status = 'cancelled';
          break epochs;
        }
        const start = b * batchSize;
        const size = Math.min(batchSize, n - start);
        const rows = order.subarray(start, start + size);
        let lossValue: number;
        let metricValue: number;
        if (parallel) [lossValue, metricValue] = parallel.step(rows, dropoutRng);
        else if (onHost) [lossValue, metricValue] = withRandom(dropoutRng, () => hostStepOn(rows));
        else {
          const [l, m] = withRandom(dropoutRng, () => step(rows));
          [lossValue, metricValue] = await readScalars(tf.stack([l, m]));
          tf.dispose([l, m]);
        }
        const deviceError = o.takeDeviceError?.();
        if (deviceError) {
          status = 'failed';
          message = `Training stopped at epoch ${epoch}, batch ${b + 1}: ${describeDeviceError(deviceError, batchSize)}`;
          break epochs;
        }
        if (!Number.isFinite(lossValue)) {
          status = 'failed';
          message =
            `Training stopped at epoch ${epoch}, batch ${b + 1}: the loss became ${Number.isNaN(lossValue) ? 'NaN' : 'infinite'}. ` +
            `Lower the learning rate (it is ${getLearningRate(optimizer)}), scale the inputs, or check the data for extreme values.`;
          break epochs;
        }
        lossSum += lossValue * size;
        metricSum += metricValue * size;
        seen += size;
        const point = Math.floor((b * curvePoints) / batches);
        curveSum[point] += lossValue * size;
        curveSeen[point] += size;
        samplesDone += size;
        const now = performance.now();
        rateFrom ??= { at: now, samples: samplesDone };
        if (o.onProgress && b < batches - 1 && now - lastBatchEvent >= interval) {
          lastBatchEvent = now;
          o.onProgress({
            phase: 'batch',
            epoch,
            epochs: o.epochs,
            batch: b + 1,
            batches,
            loss: lossSum / seen,
            metrics: { [metricName]: metricSum / seen },
            learningRate: getLearningRate(optimizer),
            samplesPerSec: seen / Math.max(1e-9, (now - epochStart) / 1000),
            ...withEta(eta()),
          });
        }
      }

      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        metrics: { [metricName]: metricSum / seen },
        learningRate: getLearningRate(optimizer),
        seconds: 0,
        batchLosses: Array.from(curveSum, (sum, i) => sum / Math.max(1, curveSeen[i])),
      };
      if (hasVal) {
        const v = await evaluateValidation();
        record.valLoss = v.loss;
        record.valMetrics = { [metricName]: v.metric };
      }
      record.seconds = (performance.now() - epochStart) / 1000;
      history.push(record);

      if (tracker.update(epoch, monitorValue(monitor, record))) {
        tf.dispose(best ?? []);
        best = model.getWeights().map((w) => w.clone());
        unsavedBest = true;
      }
      if (
        unsavedBest &&
        best &&
        o.onBestWeights &&
        performance.now() - lastBestCall >= (o.bestWeightsEveryMs ?? 0)
      ) {
        // A throttled best from an earlier epoch: lend the model its weights for the call.
        const current = tracker.bestEpoch !== epoch ? model.getWeights().map((w) => w.clone()) : null;
        if (current) model.setWeights(best);
        try {
          await o.onBestWeights(tracker.bestEpoch ?? epoch);
        } finally {
          if (current) {
            model.setWeights(current);
            tf.dispose(current);
          }
        }
        unsavedBest = false;
        lastBestCall = performance.now();
      }
      o.onProgress?.({
        phase: 'epoch',
        epoch,
        epochs: o.epochs,
        batches,
        loss: record.loss,
        metrics: record.metrics,
        valLoss: record.valLoss,
        valMetrics: record.valMetrics,
        learningRate: record.learningRate,
        samplesPerSec: seen / Math.max(1e-9, record.seconds),
        ...withEta(eta()),
      });
      if (o.earlyStopping && epoch < o.epochs && earlyStopDue(tracker, o.earlyStopping)) {
        stoppedEarly = true;
        break;
      }
      if (scheduler) setLearningRate(optimizer, scheduler.next(epoch, getLearningRate(optimizer), record));
      if (o.signal?.aborted) {
        status = 'cancelled';
        break;
      }
    }

    // Cancelled and failed runs fall back to the best epoch; a finished one does when asked to.
    const lastEpoch = history.at(-1)?.epoch ?? null;
    const restoredBestWeights =
      best !== null &&
      (status !== 'complete' ||
        ((o.earlyStopping?.restoreBestWeights ?? false) && tracker.bestEpoch !== lastEpoch));
    if (restoredBestWeights) model.setWeights(best!);
    return {
      status,
      message,
      stoppedEarly,
      history,
      monitor,
      bestEpoch: tracker.bestEpoch,
      bestValue: tracker.best,
      restoredBestWeights,
      threads: parallel?.threads ?? 1,
      threadsReason,
    };
  } finally {
    await parallel?.dispose();
    onHost?.dispose();
    tf.dispose([...vx, ...(vy ? [vy] : []), ...(best ?? [])]);
    optimizer.dispose();
  }
}

/**
 * The values of a small tensor, then the tensor disposed. Asynchronous: GPU backends (WebGPU) can
 * only be read that way, and one read per step keeps their pipeline to a single round trip.
 */
async function readScalars(t: tfjs.Tensor): Promise<number[]> {
  try {
    return Array.from(await t.data<'float32'>());
  } finally {
    t.dispose();
  }
}

/** Without a validation split, "val_loss" falls back to "loss" (and so on). */
function usableMonitor(monitor: string, hasVal: boolean): string {
  return hasVal ? monitor : monitor.replace(/^val_/, '');
}
