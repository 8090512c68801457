// Data-parallel training on the WebAssembly backend: the trainer computes the gradients of the
// first half of each batch while a replica of the model in a worker thread computes the second
// half; the trainer averages them (weighted by rows, so the result is the whole batch's gradient),
// applies the optimizer, and hands the new weights to the replica before the next step. Hand-offs
// go through one SharedArrayBuffer and Atomics, without copies of the training set.
//
// Numerically this is single-thread training up to float rounding (the mean over a batch is the
// row-weighted mean of the halves' means); dropout masks come from a per-thread seeded stream, so
// runs stay deterministic for a seed but differ from single-thread runs when the model has dropout.
import { Worker } from 'node:worker_threads';
import type * as tfjs from '@tensorflow/tfjs';
import type { TensorData } from '../../data/types.ts';
import type { LossName } from '../losses.ts';
import { withRandom } from '../../random.ts';
import {
  bufferBytes,
  COMMAND_STEP,
  COMMAND_STOP,
  CTRL,
  viewsOf,
  type LayoutSpec,
  type SharedViews,
} from './layout.ts';
import { objectiveFor, shareGradients } from './objective.ts';
import { hostOptimizer } from './host-optimizer.ts';

export interface ReplicaWorkerData {
  modelTopology: object;
  /** All weights (trainable or not) at the start, in model.getWeights() order. */
  initialWeights: { data: Float32Array; shape: number[] }[];
  loss: LossName;
  spec: LayoutSpec;
  buffer: SharedArrayBuffer;
  seed: number;
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
}

export interface DataParallel {
  threads: number;
  /** One optimisation step on `rows`; returns the batch's [loss, metric]. */
  step(rows: Int32Array, dropoutRng: () => number): [number, number];
  dispose(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;
const SPIN_MS = 2;

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
  };
  const buffer = new SharedArrayBuffer(bufferBytes(spec));
  const views = viewsOf(buffer, spec);
  const data: ReplicaWorkerData = {
    modelTopology: model.toJSON(undefined, false) as object,
    initialWeights: model.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape })),
    loss: o.loss,
    spec,
    buffer,
    seed: (o.seed ^ 0x2545f491) >>> 0,
  };
  const worker = new Worker(new URL('./replica-entry.mjs', import.meta.url), { workerData: data });
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
  const timeout = o.stepTimeoutMs ?? 120_000;
  let request = 0;

  const local = (rows: Int32Array, rng: () => number) => {
    const inputs = o.train.x.map((t) => tf.tensor(takeRows(t, rows), [rows.length, ...t.shape.slice(1)]));
    const target = tf.tensor(takeRows(o.train.y, rows), [rows.length, ...o.train.y.shape.slice(1)]);
    try {
      return withRandom(rng, () => shareGradients(tf, model, variables, objective, inputs, target));
    } finally {
      tf.dispose([...inputs, target]);
    }
  };

  // The optimizer update on the host (host-optimizer.ts), or tfjs' own for optimizers it lacks.
  const host = hostOptimizer(optimizer, spec.weightSizes);
  const weightViews = variables.map((v, i) =>
    views.weights.subarray(views.offsets[i], views.offsets[i] + v.size),
  );
  const apply = (grads: Float32Array[]) => {
    if (host) {
      // views.weights holds the current weights (publishWeights); update them and hand them to the
      // variables. The replica reads them only at the start of its next request.
      host.apply(weightViews, grads);
      assignAll(tf, variables, weightViews);
      return;
    }
    const named: tfjs.NamedTensorMap = {};
    variables.forEach((v, i) => (named[v.name] = tf.tensor(grads[i], v.shape)));
    optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
  };
  const hostGrads = (grads: tfjs.Tensor[]): Float32Array[] => {
    const out = grads.map((g) => g.dataSync() as Float32Array);
    tf.dispose(grads);
    return out;
  };

  return {
    threads: 2,
    step(rows, dropoutRng) {
      const size = rows.length;
      const mine = Math.ceil(size / 2);
      const theirs = Math.min(size - mine, spec.maxRows);
      publishWeights(variables, views);
      if (theirs <= 0 || mine + theirs !== size) {
        // A last batch too small to split: this thread alone.
        const r = local(rows, dropoutRng);
        apply(hostGrads(r.grads));
        return [r.loss, r.metric];
      }
      const share = rows.subarray(mine);
      o.train.x.forEach((t, k) => takeRowsInto(t, share, views.inputs[k]));
      takeRowsInto(o.train.y, share, views.target);
      views.ctrl[CTRL.rows] = theirs;
      views.ctrl[CTRL.command] = COMMAND_STEP;
      request = (request + 1) | 0;
      Atomics.store(views.ctrl, CTRL.request, request);
      Atomics.notify(views.ctrl, CTRL.request);

      const r = local(rows.subarray(0, mine), dropoutRng);
      const grads = hostGrads(r.grads);
      waitFor(views, request, timeout);
      const a = mine / size;
      const b = theirs / size;
      grads.forEach((g, i) => {
        const theirsG = views.grads.subarray(views.offsets[i], views.offsets[i] + g.length);
        for (let j = 0; j < g.length; j++) g[j] = g[j] * a + theirsG[j] * b;
      });
      apply(grads);
      return [r.loss * a + views.scalars[0] * b, r.metric * a + views.scalars[1] * b];
    },
    async dispose() {
      views.ctrl[CTRL.command] = COMMAND_STOP;
      Atomics.add(views.ctrl, CTRL.request, 1);
      Atomics.notify(views.ctrl, CTRL.request);
      await worker.terminate();
    },
  };
}

/** Give each variable new values (the temporary tensors are released; the variables keep the data). */
export function assignAll(tf: typeof tfjs, variables: tfjs.Variable[], values: Float32Array[]): void {
  tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape))));
}

function publishWeights(variables: tfjs.Variable[], views: SharedViews): void {
  variables.forEach((v, i) => views.weights.set(v.dataSync() as Float32Array, views.offsets[i]));
}

function waitFor(views: SharedViews, request: number, timeoutMs: number): void {
  const start = performance.now();
  // Spin briefly first (the replica is usually about to finish), then sleep in Atomics.wait.
  while (Atomics.load(views.ctrl, CTRL.done) !== request && performance.now() - start < SPIN_MS);
  for (;;) {
    const done = Atomics.load(views.ctrl, CTRL.done);
    if (done === request) break;
    if (Atomics.load(views.ctrl, CTRL.failed)) {
      const text = new TextDecoder().decode(views.error.slice()).replace(/\0+$/, '');
      throw new Error(`the replica worker failed: ${text || 'unknown error'}`);
    }
    if (performance.now() - start > timeoutMs)
      throw new Error(`the replica worker did not answer within ${Math.round(timeoutMs / 1000)} s`);
    Atomics.wait(views.ctrl, CTRL.done, done, 1000);
  }
}

/** Rows `rows` of a [N, ...] host tensor, packed into one new array. */
export function takeRows(t: TensorData, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * (t.data.length / t.shape[0]));
  takeRowsInto(t, rows, out);
  return out;
}

function takeRowsInto(t: TensorData, rows: Int32Array, out: Float32Array): void {
  const per = t.data.length / t.shape[0];
  for (let i = 0; i < rows.length; i++) out.set(t.data.subarray(rows[i] * per, (rows[i] + 1) * per), i * per);
}
