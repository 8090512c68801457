// A data-parallel replica (started by data-parallel.ts): its own WebAssembly backend and copy of
// the model. Each run arrives as a message (ReplicaWorkerData); for each request of the run it
// takes the trainer's current weights and its rows of the batch from shared memory, computes their
// gradients, loss and metric (exchanging batch statistics with the trainer midway:
// stat-exchange.ts), writes them back and signals. When a run stops cleanly the worker drops its
// model and waits for the next run (data-parallel.ts keeps it for a while), so a later run in the
// same thread starts without loading the backend again and with V8's compiled code already warm.
import { parentPort } from 'node:worker_threads';
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../../backend.ts';
import { trainableDilatedConvs } from '../../layers/atrous-conv.ts';
import { registerCustomLayers } from '../../layers/registry.ts';
import { registerUnpackGradient } from '../../kernels/unpack-gradient.ts';
import { mulberry32, withRandom } from '../../random.ts';
import { assignAll, type ReplicaMessage, type ReplicaWorkerData } from './data-parallel.ts';
import { COMMAND_STOP, CTRL, secondShareSeed, viewsOf, type SharedViews } from './layout.ts';
import { objectiveFor, shareGradients } from './objective.ts';
import { copyInto } from './host-copy.ts';
import { breakThread, SpinGate, statExchange, wakeExchanges } from './stat-exchange.ts';
import { withBatchStatSync } from '../../kernels/batch-stat-sync.ts';

const port = parentPort!;
/** The run in progress (its shared memory), and whether the trainer asked it to stop. */
let current: { views: SharedViews; stopping: boolean } | null = null;

function fail(views: SharedViews, err: unknown): void {
  const text = err instanceof Error ? err.message : String(err);
  views.error.set(new TextEncoder().encode(text).subarray(0, views.error.length - 1));
  Atomics.store(views.ctrl, CTRL.failed, 1);
  Atomics.notify(views.ctrl, CTRL.done);
  wakeExchanges(views);
}

async function backend(): Promise<typeof tfjs> {
  const { tf, id } = await selectBackend('wasm');
  if (id !== 'wasm') throw new Error('the WebAssembly backend did not load in the replica worker');
  registerCustomLayers(tf);
  registerUnpackGradient(tf);
  return tf;
}

async function run(tf: typeof tfjs, data: ReplicaWorkerData): Promise<void> {
  const views = viewsOf(data.buffer, data.spec);
  const state = { views, stopping: false };
  current = state;
  const model = await tf.models.modelFromJSON({ modelTopology: data.modelTopology } as tfjs.io.ModelJSON);
  try {
    trainableDilatedConvs(tf, model);
    model.setWeights(data.initialWeights.map((w) => tf.tensor(w.data, w.shape)));
    const variables = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
    const sizes = variables.map((v) => v.size);
    if (
      sizes.length !== data.spec.weightSizes.length ||
      sizes.some((n, i) => n !== data.spec.weightSizes[i])
    ) {
      throw new Error('the replica model does not match the trained model');
    }
    const objective = objectiveFor(tf, data.loss);
    const { spec } = data;
    const exchange = statExchange({
      views,
      side: 1,
      timeoutMs: data.timeoutMs,
      spin: new SpinGate(data.spin.exchangeMs, !!data.spin.adaptive),
      fault: data.fault,
    });
    const requests = new SpinGate(data.spin.handOffMs, !!data.spin.adaptive);
    // Read the request counter before saying ready: the first request may come at once.
    let seen = Atomics.load(views.ctrl, CTRL.request);
    port.postMessage({ type: 'ready' });

    for (;;) {
      // Spin first where the gate says so (data-parallel.ts ADAPTIVE_SPIN), then sleep.
      const waited = requests.spin(() => Atomics.load(views.ctrl, CTRL.request) !== seen);
      Atomics.wait(views.ctrl, CTRL.request, seen);
      const request = Atomics.load(views.ctrl, CTRL.request);
      if (request === seen) continue;
      waited();
      seen = request;
      if (views.ctrl[CTRL.command] === COMMAND_STOP) {
        state.stopping = true;
        break;
      }
      // Tests only: a model without batch statistics has no exchange to fail at (data.fault), so
      // the replica fails at that request instead.
      if (data.fault && spec.syncChannels === 0 && request === data.fault.at) breakThread(data.fault.how);
      const rows = views.ctrl[CTRL.rows];
      assignAll(
        tf,
        variables,
        variables.map((_, i) => views.weights.subarray(views.offsets[i], views.offsets[i] + sizes[i])),
      );
      const inputs = spec.inputRowSizes.map((per, k) =>
        tf.tensor(views.inputs[k].subarray(0, rows * per), [rows, ...spec.inputRowShapes[k]]),
      );
      const target = tf.tensor(views.target.subarray(0, rows * spec.targetRowSize), [
        rows,
        ...spec.targetRowShape,
      ]);
      const rng = mulberry32(secondShareSeed(data.seed, request));
      const r = withBatchStatSync(exchange, () =>
        withRandom(rng, () => shareGradients(tf, model, variables, objective, inputs, target)),
      );
      copyInto(tf, r.grads, views.grads, views.offsets);
      views.scalars[0] = r.loss;
      views.scalars[1] = r.metric;
      tf.dispose([...inputs, target, ...r.grads]);
      Atomics.store(views.ctrl, CTRL.done, request);
      Atomics.notify(views.ctrl, CTRL.done);
    }
  } finally {
    model.dispose();
  }
}

// A thread that ends on its own (process.exit in it, an error outside a run) says so, or the
// trainer would wait for it until the step timeout; the trainer's terminate() runs no handler here.
process.on('exit', () => {
  if (current && !current.stopping && !Atomics.load(current.views.ctrl, CTRL.failed))
    fail(current.views, new Error('its thread ended'));
});

// One run at a time, in the order they arrive; a failed run leaves the worker to be terminated.
const loaded = backend();
let queue: Promise<void> = Promise.resolve();
port.on('message', (m: ReplicaMessage) => {
  queue = queue
    .then(async () => run(await loaded, m.data))
    .catch((err: unknown) => {
      fail(viewsOf(m.data.buffer, m.data.spec), err);
      port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    });
});
