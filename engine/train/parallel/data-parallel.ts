// Data-parallel training on the WebAssembly backend: the trainer computes the gradients of the
// first half of each batch while a replica of the model in a worker thread computes the second
// half; the trainer averages them (weighted by rows, so the result is the whole batch's gradient),
// applies the optimizer, and hands the new weights to the replica before the next step. Hand-offs
// go through one SharedArrayBuffer and Atomics, without copies of the training set.
//
// Numerically this is single-thread training up to float rounding (the mean over a batch is the
// row-weighted mean of the halves' means); dropout masks come from seeded streams (the second
// half's seeded per request: secondShareSeed), so runs stay deterministic for a seed but differ
// from single-thread runs when the model has dropout.
//
// On a busy machine the replica's thread waits for a core at every step and one thread is quicker
// (ModeChooser decides by measured step times); this thread then trains the whole batch in one pass,
// as single-thread training does (the same numbers to float rounding), or, where the model draws
// random numbers (dropout), computes the second half itself from the same inputs, weights and
// dropout seed, so the numbers do not depend on which thread did it.
//
// The hand-off per step: the trainer writes the replica's rows into shared memory and bumps a
// counter; the replica copies the weights from shared memory into its variables, computes, writes
// its gradients, loss and metric back and signals. With the host optimizer the trainer then blends
// the two gradients and updates the weights in shared memory in place (host-optimizer.ts applyFlat),
// which is where the replica reads them next; no step copies them out of the variables.
//
// BatchNormalization normalises by the whole batch's statistics: the two threads exchange their
// per-channel partial sums in the middle of the step (stat-exchange.ts, through the fused kernels:
// engine/kernels/batch-stat-sync.ts), which one thread cannot do for two halves in sequence. So for
// such models "alone" means the whole batch on this thread in one pass; and when that pass would
// draw its dropout masks differently from a split step (the model draws random numbers), every step
// splits, so a run stays deterministic for its seed.
import { Worker } from 'node:worker_threads';
import type * as tfjs from '@tensorflow/tfjs';
import type { TensorData } from '../../data/types.ts';
import type { LossName } from '../losses.ts';
import { mulberry32, withRandom } from '../../random.ts';
import {
  bufferBytes,
  COMMAND_STEP,
  COMMAND_STOP,
  CTRL,
  secondShareSeed,
  viewsOf,
  type LayoutSpec,
  type SharedViews,
} from './layout.ts';
import { objectiveFor, shareGradients, type ShareResult } from './objective.ts';
import { hostOptimizer, type SecondShare } from './host-optimizer.ts';
import { copyInto } from './host-copy.ts';
import {
  replicaFailure,
  SpinGate,
  statExchange,
  wakeExchanges,
  type ExchangeFault,
} from './stat-exchange.ts';
import { withBatchStatSync } from '../../kernels/batch-stat-sync.ts';
import { rowsTensor, takeRowsInto } from '../batch-rows.ts';
import { WorkerSlot } from '../worker-slot.ts';

export interface ReplicaWorkerData {
  modelTopology: object;
  /** All weights (trainable or not) at the start, in model.getWeights() order. */
  initialWeights: { data: Float32Array; shape: number[] }[];
  loss: LossName;
  spec: LayoutSpec;
  buffer: SharedArrayBuffer;
  /** The run's seed, for the second share's dropout streams (secondShareSeed). */
  seed: number;
  /** How long a batch-statistics exchange waits for the trainer. */
  timeoutMs: number;
  spin: Spin;
  fault?: ExchangeFault;
}

export interface DataParallelOptions {
  tf: typeof tfjs;
  model: tfjs.LayersModel;
  optimizer: tfjs.Optimizer;
  loss: LossName;
  train: { x: TensorData[]; y: TensorData };
  batchSize: number;
  seed: number;
  /** Give up on a step the worker has not answered within this time (default 120 s). */
  stepTimeoutMs?: number;
  /** Who computes the second half: the replica or this thread, whichever is quicker now (default),
   *  or, for tests, always the replica or always this thread. */
  secondHalf?: 'either' | 'replica' | 'trainer';
  /** How long each thread spins for the other before it sleeps in Atomics.wait (default
   *  ADAPTIVE_SPIN); bench/split-step.ts compares a split that always spins and one that never does. */
  spin?: Spin;
  /** Tests only: the replica fails at its n-th batch-statistics exchange (in the middle of a step),
   *  or in a model without batch statistics at its n-th request. */
  replicaFault?: ExchangeFault;
  /** Tests only: this thread fails so (a thrown error only). */
  trainerFault?: ExchangeFault;
}

export interface DataParallel {
  threads: number;
  /** The replica worker's thread id (a run after a finished one reuses its worker). */
  readonly replicaThreadId: number;
  /** One optimisation step on `rows`; returns the batch's [loss, metric]. */
  step(rows: Int32Array, dropoutRng: () => number): [number, number];
  /** Split steps whose second half this thread computed, or (models with batch statistics) whose
   *  whole batch it computed in one pass: when that was quicker, or forced. */
  readonly stepsAlone: number;
  dispose(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
/** How long a replica worker whose run ended waits for the next run before it is ended. */
const PARKED_MS = 60_000;

/** What the trainer posts to a replica worker: one run. */
export interface ReplicaMessage {
  type: 'run';
  data: ReplicaWorkerData;
}

/** The replica worker of a finished run, idle until the next run of this thread takes it (a run's
 *  start then skips loading the backend, and V8's compiled code for the step is already there:
 *  cross-validation's folds, a training worker's next job, the bench's rounds). */
const parked = new WorkerSlot(PARKED_MS);

/** Milliseconds a thread spins before it sleeps: at a step's hand-offs (the request, the answer)
 *  and at each batch-statistics exchange; with `adaptive`, at most that and only while the recent
 *  waits there were that short (stat-exchange.ts SpinGate). */
export interface Spin {
  handOffMs: number;
  exchangeMs: number;
  adaptive?: boolean;
}
export const NO_SPIN: Spin = { handOffMs: 0, exchangeMs: 0 };
/** Always spinning loses where another process holds a core (a spinning thread takes CPU from the
 *  one it waits for: bench/KERNEL-MEASUREMENTS.md); spinning only while the other thread keeps
 *  arriving soon saves the wake-ups where the cores are free. The replica waits 0.5–0.9 ms for each
 *  request on a quiet machine (the optimizer update, the training loop's step, the next batch's
 *  rows), more than the exchanges' waits. */
const ADAPTIVE_SPIN: Spin = { handOffMs: 1.5, exchangeMs: 0.3, adaptive: true };
/** ModeChooser: a run's first steps split, FIRST_SPLIT of them, or as many as its replica still
 *  needs to reach WARM_SPLITS split steps in its life (V8 optimises the replica's JavaScript only as
 *  it runs: a new replica's split steps were 2–4× its warm ones for ~200 steps); then the other mode
 *  is measured for PROBE_STEPS of its steps, and again every PROBE_EVERY steps, or PROBE_SOON steps
 *  after the choice changed (doubling back to PROBE_EVERY), so a switch made on a passing slowdown
 *  is undone soon; the first SETTLE_STEPS steps of a mode after a change are not measurements; each
 *  estimate is the median of a mode's last KEEP_TIMES measured steps, and alone runs only where its
 *  estimate is below SPLIT_MARGIN × the split's. */
const FIRST_SPLIT = 64;
const WARM_SPLITS = 256;
const PROBE_EVERY = 256;
const PROBE_SOON = 32;
const PROBE_STEPS: Record<Mode, number> = { split: 12, alone: 8 };
const SETTLE_STEPS: Record<Mode, number> = { split: 4, alone: 2 };
const KEEP_TIMES = 8;
const SPLIT_MARGIN = 0.85;

/** Split steps each live replica worker has computed, over all its runs. */
const splitsDone = new WeakMap<Worker, number>();

export async function startDataParallel(o: DataParallelOptions): Promise<DataParallel> {
  const { tf, model, optimizer } = o;
  const variables = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const rowSize = (t: TensorData) => t.data.length / Math.max(1, t.shape[0]);
  const spec: LayoutSpec = {
    inputRowShapes: o.train.x.map((t) => t.shape.slice(1)),
    targetRowShape: o.train.y.shape.slice(1),
    inputRowSizes: o.train.x.map(rowSize),
    targetRowSize: rowSize(o.train.y),
    maxRows: Math.floor(o.batchSize / 2),
    weightSizes: variables.map((v) => v.size),
    syncChannels: batchStatChannels(model),
  };
  const batchStats = spec.syncChannels > 0;
  const timeout = o.stepTimeoutMs ?? 120_000;
  const buffer = new SharedArrayBuffer(bufferBytes(spec));
  const views = viewsOf(buffer, spec);
  const data: ReplicaWorkerData = {
    modelTopology: model.toJSON(undefined, false) as object,
    initialWeights: model.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape })),
    loss: o.loss,
    spec,
    buffer,
    seed: o.seed,
    timeoutMs: timeout,
    spin: o.spin ?? ADAPTIVE_SPIN,
    fault: o.replicaFault,
  };
  const worker = parked.take() ?? new Worker(new URL('./replica-entry.mjs', import.meta.url));
  worker.ref();
  worker.postMessage({ type: 'run', data } satisfies ReplicaMessage);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the replica worker did not start within 60 s')),
      STARTUP_TIMEOUT_MS,
    );
    const settle = (err?: Error) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    };
    const onMessage = (m: { type: string; message?: string }) =>
      settle(m.type === 'ready' ? undefined : new Error(m.message ?? 'the replica worker failed'));
    const onError = (err: Error) => settle(err);
    const onExit = (code: number) => settle(new Error(`the replica worker exited (code ${code})`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  // The worker idles in Atomics.wait between steps; do not let it keep the process alive.
  worker.unref();

  const objective = objectiveFor(tf, o.loss);
  const exchange = statExchange({
    views,
    side: 0,
    timeoutMs: timeout,
    spin: new SpinGate(data.spin.exchangeMs, !!data.spin.adaptive),
    fault: o.trainerFault,
  });
  const handOff = new SpinGate(data.spin.handOffMs, !!data.spin.adaptive);
  let request = 0;
  /** The last request posted to the replica (steps this thread computed alone count in `request`). */
  let sent = 0;

  const local = (rows: Int32Array, rng: () => number) => {
    const inputs = o.train.x.map((t) => rowsTensor(tf, t, rows));
    const target = rowsTensor(tf, o.train.y, rows);
    try {
      return withRandom(rng, () => shareGradients(tf, model, variables, objective, inputs, target));
    } finally {
      tf.dispose([...inputs, target]);
    }
  };

  // The second share, as the replica computes it (replica-worker.ts), for when this thread takes it.
  const secondShare = (rows: number, request: number) => {
    const inputs = spec.inputRowSizes.map((per, k) =>
      tf.tensor(views.inputs[k].subarray(0, rows * per), [rows, ...spec.inputRowShapes[k]]),
    );
    const target = tf.tensor(views.target.subarray(0, rows * spec.targetRowSize), [
      rows,
      ...spec.targetRowShape,
    ]);
    try {
      return withRandom(mulberry32(secondShareSeed(o.seed, request)), () =>
        shareGradients(tf, model, variables, objective, inputs, target),
      );
    } finally {
      tf.dispose([...inputs, target]);
    }
  };

  // The optimizer update on the host (host-optimizer.ts), or tfjs' own for optimizers it lacks.
  // With the host update, views.weights always holds the current weights: published once here,
  // then updated in place by every step (the replica reads them at the start of its next request),
  // so no step copies them out of the variables.
  const host = hostOptimizer(optimizer, spec.weightSizes);
  const weightViews = variables.map((v, i) =>
    views.weights.subarray(views.offsets[i], views.offsets[i] + v.size),
  );
  if (host) publishWeights(variables, views);
  // This thread's share's gradients and (when this thread computes it) the second share's, all
  // variables end to end as in views.grads.
  const mineGrads = new Float32Array(views.grads.length);
  const theirsGrads = new Float32Array(views.grads.length);
  const gather = (grads: tfjs.Tensor[], into: Float32Array): Float32Array => {
    copyInto(tf, grads, into, views.offsets);
    tf.dispose(grads);
    return into;
  };
  /** The update by `grads`, or by the row-weighted mean of grads and second.grads. */
  const apply = (grads: Float32Array, second?: SecondShare) => {
    if (host) {
      host.applyFlat(views.weights, grads, second);
      assignAll(tf, variables, weightViews);
      return;
    }
    if (second) {
      const { a, b } = second;
      for (let j = 0; j < grads.length; j++) grads[j] = grads[j] * a + second.grads[j] * b;
    }
    const named: tfjs.NamedTensorMap = {};
    variables.forEach(
      (v, i) =>
        (named[v.name] = tf.tensor(grads.subarray(views.offsets[i], views.offsets[i] + v.size), v.shape)),
    );
    optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
  };

  // Which thread computes the second half, chosen by measurement (see ModeChooser).
  const chooser = new ModeChooser(o.secondHalf, splitsDone.get(worker) ?? 0);
  let stepsAlone = 0;
  let splitSteps = 0;
  // Whether the model draws random numbers in training (dropout…), once a split step has shown it:
  // until then, and where it does, this thread alone computes the halves in turn (the same masks
  // as a split step); where it does not, the whole batch in one pass (quicker, the same numbers to
  // float rounding).
  let drawsRandom: boolean | undefined;
  return {
    threads: 2,
    replicaThreadId: worker.threadId,
    get stepsAlone() {
      return stepsAlone;
    },
    step(rows, dropoutRng) {
      // This thread gave up a split step midway; the replica, released, stops: say why.
      if (Atomics.load(views.ctrl, CTRL.aborted)) throw awaitReplicaFailure(views, timeout);
      const size = rows.length;
      const mine = Math.ceil(size / 2);
      const theirs = Math.min(size - mine, spec.maxRows);
      if (!host) publishWeights(variables, views);
      const mode = theirs <= 0 || mine + theirs !== size ? null : chooser.next();
      if (mode === null || (mode === 'alone' && (batchStats || drawsRandom === false))) {
        // A last batch too small to split, or the whole batch on this thread in one pass.
        const started = performance.now();
        const r = local(rows, dropoutRng);
        apply(gather(r.grads, mineGrads));
        if (mode) {
          stepsAlone++;
          chooser.record(mode, performance.now() - started);
        }
        return [r.loss, r.metric];
      }
      const started = performance.now();
      const share = rows.subarray(mine);
      o.train.x.forEach((t, k) => takeRowsInto(t, share, views.inputs[k]));
      takeRowsInto(o.train.y, share, views.target);
      request = (request + 1) | 0;
      let drew = false;
      const rng = () => {
        drew = true;
        return dropoutRng();
      };
      let r: ShareResult;
      if (mode === 'split') {
        views.ctrl[CTRL.rows] = theirs;
        views.ctrl[CTRL.command] = COMMAND_STEP;
        Atomics.store(views.ctrl, CTRL.request, request);
        sent = request;
        splitSteps++;
        Atomics.notify(views.ctrl, CTRL.request);
        try {
          r = withBatchStatSync(exchange, () => local(rows.subarray(0, mine), rng));
        } catch (err) {
          // The replica may be waiting for this thread's statistics: release it.
          Atomics.store(views.ctrl, CTRL.aborted, 1);
          wakeExchanges(views);
          throw err;
        }
        if (batchStats && drew) chooser.pin('split');
      } else r = local(rows.subarray(0, mine), rng);
      drawsRandom = drawsRandom || drew;
      const grads = gather(r.grads, mineGrads);
      let second: { loss: number; metric: number; grads: Float32Array };
      if (mode === 'split') {
        waitFor(views, request, timeout, handOff);
        second = { loss: views.scalars[0], metric: views.scalars[1], grads: views.grads };
      } else {
        // The replica's share computed here, as the replica would (same inputs, weights, seed).
        const s2 = secondShare(theirs, request);
        second = { loss: s2.loss, metric: s2.metric, grads: gather(s2.grads, theirsGrads) };
        stepsAlone++;
      }
      const a = mine / size;
      const b = theirs / size;
      apply(grads, { grads: second.grads, a, b });
      chooser.record(mode, performance.now() - started);
      return [r.loss * a + second.loss * b, r.metric * a + second.metric * b];
    },
    async dispose() {
      // A replica that answered every request and failed nothing stops its run and is kept for the
      // next one; any other is ended.
      const clean =
        !o.replicaFault &&
        !o.trainerFault &&
        Atomics.load(views.ctrl, CTRL.done) === sent &&
        !Atomics.load(views.ctrl, CTRL.failed) &&
        !Atomics.load(views.ctrl, CTRL.aborted);
      views.ctrl[CTRL.command] = COMMAND_STOP;
      Atomics.add(views.ctrl, CTRL.request, 1);
      Atomics.notify(views.ctrl, CTRL.request);
      splitsDone.set(worker, (splitsDone.get(worker) ?? 0) + splitSteps);
      if (clean) parked.park(worker);
      else await worker.terminate();
    },
  };
}

/** The channel count of the widest BatchNormalization layer (0: none), for the exchange slots. */
function batchStatChannels(model: tfjs.LayersModel): number {
  let widest = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const shape = layer.outputShape as number[];
    widest = Math.max(widest, shape[shape.length - 1] ?? 0);
  }
  return widest;
}

/** Give each variable new values (the temporary tensors are released; the variables keep the data). */
export function assignAll(tf: typeof tfjs, variables: tfjs.Variable[], values: Float32Array[]): void {
  tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape))));
}

function publishWeights(variables: tfjs.Variable[], views: SharedViews): void {
  variables.forEach((v, i) => views.weights.set(v.dataSync() as Float32Array, views.offsets[i]));
}

function waitFor(views: SharedViews, request: number, timeoutMs: number, gate: SpinGate): void {
  const start = performance.now();
  // Spin briefly first where the gate says so (the replica may be about to finish), then sleep in
  // Atomics.wait.
  const waited = gate.spin(() => Atomics.load(views.ctrl, CTRL.done) === request);
  for (;;) {
    const done = Atomics.load(views.ctrl, CTRL.done);
    if (done === request) {
      waited();
      break;
    }
    if (Atomics.load(views.ctrl, CTRL.failed)) throw replicaFailure(views);
    if (performance.now() - start > timeoutMs)
      throw new Error(`the replica worker did not answer within ${Math.round(timeoutMs / 1000)} s`);
    Atomics.wait(views.ctrl, CTRL.done, done, 1000);
  }
}

/** The replica's failure once it has reported it (after the trainer released it mid-step). */
function awaitReplicaFailure(views: SharedViews, timeoutMs: number): Error {
  const start = performance.now();
  while (!Atomics.load(views.ctrl, CTRL.failed) && performance.now() - start < timeoutMs)
    Atomics.wait(views.ctrl, CTRL.done, Atomics.load(views.ctrl, CTRL.done), 1000);
  return Atomics.load(views.ctrl, CTRL.failed)
    ? replicaFailure(views)
    : new Error(`the replica worker did not answer within ${Math.round(timeoutMs / 1000)} s`);
}

type Mode = 'split' | 'alone';

/**
 * Picks, step by step, whether the replica computes the second half ('split') or this thread
 * computes both ('alone'). The numbers are the same either way, so the choice is free to follow
 * the clock: on an idle machine splitting halves the step time; on a busy one the replica's thread
 * waits for a core at every step and one thread is quicker (bench/KERNEL-MEASUREMENTS.md). Each mode's step
 * time is the median of its last few steps; the quicker mode runs, and the other is re-measured for
 * a few steps early on, then every PROBE_EVERY steps, and soon after a change, so a change in load
 * is followed and a passing one undone.
 *
 * The measurements favour alone, so the split keeps a margin: this thread's code is warm in either
 * mode, but the replica's only gets optimised by V8 while it computes, and its first steps after a
 * pause are slower still (woken from sleep, its caches cold). Judged on its first steps and on short
 * probes, a split that ran 1.5× quicker once warm lost to alone in most of a run (the Conv1D
 * classifier on the idle 2-core machine: 224 of 256 steps alone; bench/KERNEL-MEASUREMENTS.md).
 */
export class ModeChooser {
  /** The last few measured step times of each mode (ms). */
  private readonly times: Record<Mode, number[]> = { split: [], alone: [] };
  private step = 0;
  private pinned: Mode | null = null;
  /** The mode of the latest steps, and how many in a row. */
  private current: Mode | null = null;
  private streak = 0;
  /** The quicker mode by the latest estimates, when the next probe of the other starts, and the
   *  gap to the one after it. */
  private better: Mode = 'split';
  private probeAt: number;
  private gap = PROBE_EVERY;
  /** How many steps split before any is measured alone (the replica warming up). */
  private readonly firstSplits: number;

  /** `replicaSplits`: split steps the replica has computed before this run (default: a warm one). */
  constructor(
    private readonly forced?: DataParallelOptions['secondHalf'],
    replicaSplits = WARM_SPLITS,
  ) {
    this.firstSplits = Math.max(FIRST_SPLIT, WARM_SPLITS - replicaSplits);
    this.probeAt = this.firstSplits + PROBE_STEPS.alone + PROBE_EVERY;
  }

  /** From now on always `mode` (where the other would change the numbers). */
  pin(mode: Mode): void {
    this.pinned = mode;
  }

  next(): Mode {
    const mode = this.choose();
    this.streak = mode === this.current ? this.streak + 1 : 1;
    this.current = mode;
    return mode;
  }

  record(mode: Mode, ms: number): void {
    // The first steps after a change (operator setup, a thread woken, cold caches) are not
    // measurements.
    if (mode !== this.current || this.streak <= SETTLE_STEPS[mode]) return;
    const t = this.times[mode];
    t.push(ms);
    if (t.length > KEEP_TIMES) t.shift();
  }

  private choose(): Mode {
    if (this.forced === 'replica') return 'split';
    if (this.forced === 'trainer') return 'alone';
    if (this.pinned) return this.pinned;
    const i = this.step++;
    if (i < this.firstSplits) return 'split';
    if (i < this.firstSplits + PROBE_STEPS.alone) return 'alone';
    const better: Mode = this.estimate('alone') < SPLIT_MARGIN * this.estimate('split') ? 'alone' : 'split';
    const other: Mode = better === 'split' ? 'alone' : 'split';
    if (better !== this.better) {
      // A change (going alone after the first steps split included) is re-measured soon.
      this.gap = PROBE_SOON;
      this.probeAt = i + this.gap;
      this.better = better;
    }
    if (i < this.probeAt) return better;
    if (i < this.probeAt + PROBE_STEPS[other]) return other;
    this.gap = Math.min(2 * this.gap, PROBE_EVERY);
    this.probeAt = i + this.gap;
    return better;
  }

  private estimate(mode: Mode): number {
    // The median: split steps have a long tail (a thread woken late, a core taken for a moment:
    // bench/KERNEL-MEASUREMENTS.md) that says little about the next step; a busy machine slows
    // most of them.
    const t = [...this.times[mode]].sort((a, b) => a - b);
    if (!t.length) return NaN;
    const h = t.length >> 1;
    return t.length & 1 ? t[h] : (t[h - 1] + t[h]) / 2;
  }
}
