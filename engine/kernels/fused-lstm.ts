// A fused LSTM for the WebAssembly and pure-JS backends. tfjs-layers runs an LSTM as ~15 small ops
// per timestep forward and twice that backward (~2,000 kernel calls per batch of the LSTM
// benchmark), so per-op overhead dominates. This path runs the layer as one custom-gradient op: the
// input projection of all timesteps in one matmul, one matmul per step for the recurrent term, the
// gates on the host, and backpropagation through time by hand (one matmul per step, then one each
// for the weight gradients). Same weights, same equations, same class: saved models are unchanged.
// On WebAssembly with SIMD the gates and the cell update run as SIMD kernels on the backend's heap
// (fused-lstm-wasm.ts); the loops here are the path elsewhere. goBackwards reads the sequence from its
// end. Layers with masks, dropout, state or other activations keep tfjs' own path.
import * as tf from '@tensorflow/tfjs';
import {
  dRecurrent,
  recurrent,
  fusedRouting,
  type FusedRecurrent,
  returnBuffers,
  rightMultiplier,
  takeBuffer,
  tanh,
} from './recurrent-host.ts';
import { heapOrHost, type RecurrentOnHost } from './recurrent-wasm.ts';
import { lstmOnHeap } from './fused-lstm-wasm.ts';

// The per-timestep loops are module-level functions over typed arrays, so V8 optimises them well.

/** Timestep t forward: gates from the projected inputs xp [B·T, 4U] (+ bias, + hr = h_{t-1}·R). */
function forwardStep(
  t: number,
  B: number,
  T: number,
  U: number,
  hard: boolean,
  xp: Float32Array,
  bv: Float32Array,
  hr: Float32Array | null,
  h: Float32Array,
  next: Float32Array,
  gates: Float32Array,
  cs: Float32Array,
  tcs: Float32Array,
  hPrev: Float32Array,
  seq: Float32Array | null,
): void {
  const G = 4 * U;
  const gOff = t * B * G;
  const cOff = t * B * U;
  for (let n = 0; n < B; n++) {
    const zRow = (n * T + t) * G;
    const hRow = (n * T + t) * U;
    const rRow = n * G;
    const gi = gOff + n * G;
    for (let u = 0; u < U; u++) {
      const zi = xp[zRow + u] + bv[u] + (hr ? hr[rRow + u] : 0);
      const zf = xp[zRow + U + u] + bv[U + u] + (hr ? hr[rRow + U + u] : 0);
      const zg = xp[zRow + 2 * U + u] + bv[2 * U + u] + (hr ? hr[rRow + 2 * U + u] : 0);
      const zo = xp[zRow + 3 * U + u] + bv[3 * U + u] + (hr ? hr[rRow + 3 * U + u] : 0);
      const i = recurrent(zi, hard);
      const f = recurrent(zf, hard);
      const g = tanh(zg);
      const o = recurrent(zo, hard);
      const s = n * U + u;
      const cPrev = t > 0 ? cs[cOff - B * U + s] : 0;
      const c = f * cPrev + i * g;
      const tc = tanh(c);
      const hv = o * tc;
      gates[gi + u] = i;
      gates[gi + U + u] = f;
      gates[gi + 2 * U + u] = g;
      gates[gi + 3 * U + u] = o;
      cs[cOff + s] = c;
      tcs[cOff + s] = tc;
      hPrev[hRow + u] = h[s];
      next[s] = hv;
      if (seq) seq[hRow + u] = hv;
    }
  }
}

/** Timestep t backward: dZ_t [B, 4U] into dzt (and its rows into dZ [B·T, 4U]), the carry
 *  gradient dc for step t−1 and the bias gradient; dh holds dL/dh_t from later steps. */
function backwardStep(
  t: number,
  B: number,
  T: number,
  U: number,
  hard: boolean,
  returnSequences: boolean,
  dyv: Float32Array,
  dh: Float32Array,
  dc: Float32Array,
  gates: Float32Array,
  cs: Float32Array,
  tcs: Float32Array,
  dzt: Float32Array,
  dZ: Float32Array,
  dbv: Float32Array,
): void {
  const G = 4 * U;
  const gOff = t * B * G;
  const cOff = t * B * U;
  for (let n = 0; n < B; n++) {
    const gi = gOff + n * G;
    const zi = n * G;
    const zRow = (n * T + t) * G;
    for (let u = 0; u < U; u++) {
      const s = n * U + u;
      let dhv = dh[s];
      if (returnSequences) dhv += dyv[(n * T + t) * U + u];
      else if (t === T - 1) dhv += dyv[s];
      const i = gates[gi + u];
      const f = gates[gi + U + u];
      const g = gates[gi + 2 * U + u];
      const o = gates[gi + 3 * U + u];
      const tc = tcs[cOff + s];
      const cPrev = t > 0 ? cs[cOff - B * U + s] : 0;
      const dcv = dc[s] + dhv * o * (1 - tc * tc);
      dc[s] = dcv * f;
      const di = dcv * g * dRecurrent(i, hard);
      const df = dcv * cPrev * dRecurrent(f, hard);
      const dg = dcv * i * (1 - g * g);
      const dO = dhv * tc * dRecurrent(o, hard);
      dzt[zi + u] = di;
      dzt[zi + U + u] = df;
      dzt[zi + 2 * U + u] = dg;
      dzt[zi + 3 * U + u] = dO;
      dZ[zRow + u] = di;
      dZ[zRow + U + u] = df;
      dZ[zRow + 2 * U + u] = dg;
      dZ[zRow + 3 * U + u] = dO;
      dbv[u] += di;
      dbv[U + u] += df;
      dbv[2 * U + u] += dg;
      dbv[3 * U + u] += dO;
    }
  }
}

/** The loops on the host (any backend), in time order. */
const hostLstm: RecurrentOnHost = (x, kernel, recurrentKernel, bias, hard, returnSequences) => {
  const [B, T, D] = x.shape;
  const U = recurrentKernel.shape[0];
  const G = 4 * U;

  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, k, r, b, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xt, k, r]);
    const flatX = tf.reshape(xt, [B * T, D]) as tf.Tensor2D;
    const proj = tf.matMul(flatX, k);
    const xp = proj.dataSync() as Float32Array;
    tf.dispose([flatX, proj]);
    const bv = b.dataSync() as Float32Array;

    const gates = takeBuffer(T * B * G); // post-activation i, f, g, o per step
    const cs = takeBuffer(T * B * U); // c_t
    const tcs = takeBuffer(T * B * U); // tanh(c_t)
    const hPrev = takeBuffer(B * T * U); // h_{t-1}, rows (b, t): the layout of x
    const out = new Float32Array(returnSequences ? B * T * U : B * U);
    let h = new Float32Array(B * U);
    const timesR = rightMultiplier(r);
    for (let t = 0; t < T; t++) {
      const next = new Float32Array(B * U);
      forwardStep(
        t,
        B,
        T,
        U,
        hard,
        xp,
        bv,
        t > 0 ? timesR(h, B) : null,
        h,
        next,
        gates,
        cs,
        tcs,
        hPrev,
        returnSequences ? out : null,
      );
      h = next;
    }
    if (!returnSequences) out.set(h);
    const value = returnSequences ? tf.tensor3d(out, [B, T, U]) : tf.tensor2d(out, [B, U]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sk, sr] = saved;
      const dyv = dy.dataSync() as Float32Array;
      const dZ = takeBuffer(B * T * G);
      const dzt = new Float32Array(B * G);
      let dh: Float32Array = new Float32Array(B * U);
      const dc = new Float32Array(B * U);
      const dbv = new Float32Array(G);
      const rT = tf.transpose(sr) as tf.Tensor2D;
      const timesRT = rightMultiplier(rT);
      for (let t = T - 1; t >= 0; t--) {
        backwardStep(t, B, T, U, hard, returnSequences, dyv, dh, dc, gates, cs, tcs, dzt, dZ, dbv);
        if (t > 0) dh = timesRT(dzt, B);
      }
      tf.dispose(rT);
      const dZt = tf.tensor2d(dZ, [B * T, G]);
      const flat = tf.reshape(sx, [B * T, D]) as tf.Tensor2D;
      const hp = tf.tensor2d(hPrev, [B * T, U]);
      const dx = tf.reshape(tf.matMul(dZt, sk as tf.Tensor2D, false, true), [B, T, D]);
      const dk = tf.matMul(flat, dZt, true, false);
      const dr = tf.matMul(hp, dZt, true, false);
      const db = tf.tensor1d(dbv);
      tf.dispose([dZt, flat, hp]);
      returnBuffers(gates, cs, tcs, hPrev, dZ);
      return [dx, dk, dr, db];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor;
};

/** Output of an LSTM layer ([B, U], or [B, T, U] with returnSequences) with hand-written gradients. */
export const fusedLstm: FusedRecurrent = heapOrHost(lstmOnHeap, hostLstm);

const routing = fusedRouting(() => tf.layers.lstm({ units: 1 }), 4, fusedLstm);

/** How many LSTM calls took the fused path (tests check that it ran). */
export const fusedLstmCalls = routing.calls;

/** Tests compare against tfjs' own LSTM by turning the fused path off. */
export const setFusedLstmEnabled = routing.setEnabled;

/** Route tfjs-layers' LSTM through fusedLstm where it applies (idempotent; all LSTM layers). */
export const installFusedLstm = routing.install;
