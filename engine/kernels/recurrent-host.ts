// Host-side pieces the fused recurrent layers share (fused-lstm.ts, fused-gru.ts): the
// activations on numbers, a pool of reused buffers for the saved activations, and the recurrent
// matrix product that calls the backend directly.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allocF32, batchMatMul, free, heapF32 } from './wasm-heap.ts';
import { routeLayerCall, singleInput } from './layer-routing.ts';

// Math.tanh is several times slower than Math.exp in V8; this form is exact to float32 precision.
export const tanh = (z: number) => 2 / (1 + Math.exp(-2 * z)) - 1;
export const recurrent = (z: number, hard: boolean) =>
  hard ? Math.min(1, Math.max(0, 0.2 * z + 0.5)) : 1 / (1 + Math.exp(-z));
/** Derivative of the recurrent activation, from its output. */
export const dRecurrent = (y: number, hard: boolean) => (hard ? (y > 0 && y < 1 ? 0.2 : 0) : y * (1 - y));

// Reused host buffers for the saved activations (~2.5 MB per batch of the LSTM benchmark): fresh
// ones every step kept the garbage collector busy. A forward whose backward never runs (inference)
// simply leaves its buffers to the collector. Every buffer is fully written before it is read.
const pool = new Map<number, Float32Array[]>();
export function takeBuffer(n: number): Float32Array {
  return pool.get(n)?.pop() ?? new Float32Array(n);
}
export function returnBuffers(...buffers: Float32Array[]): void {
  for (const b of buffers) {
    const free = pool.get(b.length) ?? [];
    if (free.length < 8) free.push(b);
    pool.set(b.length, free);
  }
}

/** a[m, k] · b[k, n] for host rows a and a fixed right operand b. On wasm this calls the backend's
 *  BatchMatMul on the heap directly (no engine bookkeeping, and XNNPACK keeps b packed across the
 *  timesteps); elsewhere it uses tf.matMul. */
export function rightMultiplier(b: tf.Tensor2D): (a: Float32Array, m: number) => Float32Array {
  const [k, n] = b.shape;
  if (tf.getBackend() === 'wasm') {
    const backend = tf.backend() as BackendWasm;
    const b3: tf.TensorInfo = { dataId: b.dataId, shape: [1, k, n], dtype: 'float32' };
    return (a, m) => {
      const at = allocF32(backend, [1, m, k]);
      heapF32(backend, at).set(a);
      const out = batchMatMul(backend, at, b3);
      const result = heapF32(backend, out).slice();
      free(backend, at);
      free(backend, out);
      return result;
    };
  }
  return (a, m) => {
    const at = tf.tensor2d(a, [m, k]);
    const out = tf.matMul(at, b);
    const result = out.dataSync() as Float32Array;
    tf.dispose([at, out]);
    return result;
  };
}

/** The fields of tfjs-layers' LSTM and GRU layers a fused path reads. */
export interface RecurrentLayerLike {
  cell: {
    units: number;
    dropout: number;
    recurrentDropout: number;
    useBias: boolean;
    activation: { getClassName(): string };
    recurrentActivation: { getClassName(): string };
    kernel: { read(): tf.Tensor };
    recurrentKernel: { read(): tf.Tensor };
    bias?: { read(): tf.Tensor } | null;
  };
  stateful: boolean;
  goBackwards: boolean;
  returnState: boolean;
  returnSequences: boolean;
}

/** The layer's input when a fused path applies (wasm or cpu; one float rank-3 input; no mask,
 *  initial state, statefulness, return of state or dropout; tanh and a sigmoid or hard sigmoid as
 *  activations), else null. */
export function fusableSequenceInput(
  layer: RecurrentLayerLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
): tf.Tensor3D | null {
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') return null;
  const x = singleInput(inputs);
  if (!x || x.rank !== 3 || x.dtype !== 'float32') return null;
  if (kwargs?.mask != null || kwargs?.initialState != null) return null;
  const c = layer.cell;
  if (layer.stateful || layer.returnState) return null;
  if (c.dropout > 0 || c.recurrentDropout > 0) return null;
  if (c.activation.getClassName() !== 'tanh') return null;
  const rec = c.recurrentActivation.getClassName();
  if (rec !== 'sigmoid' && rec !== 'hardSigmoid') return null;
  return x as tf.Tensor3D;
}

/** The fused op of a layer: its input, weights (bias zeros without one), recurrent activation,
 *  and whether it returns every step's output and reads the sequence from its end. */
export type FusedRecurrent = (
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  rec: 'sigmoid' | 'hardSigmoid',
  returnSequences: boolean,
  goBackwards: boolean,
) => tf.Tensor;

/** Route every call of the layer class `probe` belongs to through `fused` where it applies;
 *  `enabled()` lets tests compare with tfjs' own path, `onCall` counts the fused calls. */
export function routeLayerCalls(
  probe: unknown,
  gates: number,
  fused: FusedRecurrent,
  enabled: () => boolean,
  onCall: () => void,
): void {
  routeLayerCall<RecurrentLayerLike>(probe, (layer, inputs, kwargs) => {
    const x = enabled() ? fusableSequenceInput(layer, inputs, kwargs) : null;
    if (!x) return null;
    onCall();
    const c = layer.cell;
    return tf.tidy(() => {
      const bias = c.useBias && c.bias ? c.bias.read() : tf.zeros([gates * c.units]);
      return fused(
        x,
        c.kernel.read(),
        c.recurrentKernel.read(),
        bias,
        c.recurrentActivation.getClassName() as 'sigmoid' | 'hardSigmoid',
        layer.returnSequences,
        layer.goBackwards,
      );
    });
  });
}

/**
 * The switch, call count and one-time install of a fused recurrent path: `install` routes every
 * layer of `probe`'s class through `fused`; tests turn it off to compare with tfjs' own layer and
 * read the count to check that it ran.
 */
export function fusedRouting(probe: () => unknown, gates: number, fused: FusedRecurrent) {
  let installed = false;
  let enabled = true;
  let calls = 0;
  return {
    calls: () => calls,
    setEnabled: (on: boolean) => {
      enabled = on;
    },
    install: () => {
      if (installed) return;
      installed = true;
      routeLayerCalls(
        probe(),
        gates,
        fused,
        () => enabled,
        () => calls++,
      );
    },
  };
}
