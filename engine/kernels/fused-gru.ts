// A fused GRU for the WebAssembly and pure-JS backends, like fused-lstm.ts: tfjs-layers runs a GRU
// as ~20 small ops per timestep forward and more backward, so per-op overhead dominates. Here the
// layer is one custom-gradient op: the input projection of all timesteps in one matmul, two matmuls
// per step for the recurrent terms (h·U_zr, then (r ⊙ h)·U_h: tfjs' reset_after = false), the gates
// on the host, and backpropagation through time by hand (two matmuls per step, then one each for the
// weight gradients). Same weights, same equations, same class: saved models are unchanged. On
// WebAssembly with SIMD the gates run as SIMD kernels on the backend's heap (fused-gru-wasm.ts); the
// loops here are the path elsewhere. goBackwards reads the sequence from its end. Layers with masks,
// dropout, state or other activations keep tfjs' own path.
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
import { gruOnHeap } from './fused-gru-wasm.ts';

/** The sizes and the saved activations of one forward pass. Rows of xp, hPrev, rh and dZ are (b, t),
 *  the layout of x; gates are per step [T, B, 3U] (z, r, h̃). */
interface Dims {
  B: number;
  T: number;
  U: number;
  hard: boolean;
}

/** Timestep t, first half: z and r from xp (+ bias, + hr = h_{t−1}·U_zr), and r ⊙ h_{t−1}. */
function gatesZR(
  t: number,
  { B, T, U, hard }: Dims,
  xp: Float32Array,
  bv: Float32Array,
  hr: Float32Array | null,
  h: Float32Array,
  gates: Float32Array,
  hPrev: Float32Array,
  rh: Float32Array,
  rhStep: Float32Array,
): void {
  const G = 3 * U;
  for (let n = 0; n < B; n++) {
    const xRow = (n * T + t) * G;
    const hRow = (n * T + t) * U;
    const gi = (t * B + n) * G;
    for (let u = 0; u < U; u++) {
      const z = recurrent(xp[xRow + u] + bv[u] + (hr ? hr[n * 2 * U + u] : 0), hard);
      const r = recurrent(xp[xRow + U + u] + bv[U + u] + (hr ? hr[n * 2 * U + U + u] : 0), hard);
      const hp = h[n * U + u];
      gates[gi + u] = z;
      gates[gi + U + u] = r;
      hPrev[hRow + u] = hp;
      rh[hRow + u] = r * hp;
      rhStep[n * U + u] = r * hp;
    }
  }
}

/** Timestep t, second half: h̃ = tanh(xp_h + b_h + rr) with rr = (r ⊙ h_{t−1})·U_h, and
 *  h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h̃ into next (and seq). */
function gatesH(
  t: number,
  { B, T, U }: Dims,
  xp: Float32Array,
  bv: Float32Array,
  rr: Float32Array | null,
  h: Float32Array,
  gates: Float32Array,
  next: Float32Array,
  seq: Float32Array | null,
): void {
  const G = 3 * U;
  for (let n = 0; n < B; n++) {
    const xRow = (n * T + t) * G;
    const gi = (t * B + n) * G;
    for (let u = 0; u < U; u++) {
      const hh = tanh(xp[xRow + 2 * U + u] + bv[2 * U + u] + (rr ? rr[n * U + u] : 0));
      const z = gates[gi + u];
      const s = n * U + u;
      const hv = z * h[s] + (1 - z) * hh;
      gates[gi + 2 * U + u] = hh;
      next[s] = hv;
      if (seq) seq[(n * T + t) * U + u] = hv;
    }
  }
}

/** Timestep t backward, first half. dh holds dL/dh_t from later steps (dy is added here). Writes the
 *  candidate's pre-activation gradient (dah, and dZ's h̃ columns), z's (dzr's first half, dZ's z
 *  columns), and carry = the part of dL/dh_{t−1} that bypasses the matmuls (dh ⊙ z). */
function backwardZH(
  t: number,
  { B, T, U, hard }: Dims,
  returnSequences: boolean,
  dyv: Float32Array,
  dh: Float32Array,
  gates: Float32Array,
  hPrev: Float32Array,
  dah: Float32Array,
  dzr: Float32Array,
  carry: Float32Array,
  dZ: Float32Array,
  dbv: Float32Array,
): void {
  const G = 3 * U;
  for (let n = 0; n < B; n++) {
    const gi = (t * B + n) * G;
    const row = n * T + t;
    for (let u = 0; u < U; u++) {
      const s = n * U + u;
      let dhv = dh[s];
      if (returnSequences) dhv += dyv[row * U + u];
      else if (t === T - 1) dhv += dyv[s];
      const z = gates[gi + u];
      const hh = gates[gi + 2 * U + u];
      const hp = hPrev[row * U + u];
      const da = dhv * (1 - z) * (1 - hh * hh);
      const dz = dhv * (hp - hh) * dRecurrent(z, hard);
      dah[s] = da;
      dzr[n * 2 * U + u] = dz;
      carry[s] = dhv * z;
      dZ[row * G + 2 * U + u] = da;
      dZ[row * G + u] = dz;
      dbv[2 * U + u] += da;
      dbv[u] += dz;
    }
  }
}

/** Timestep t backward, second half: from drh = dah·U_hᵀ = dL/d(r ⊙ h_{t−1}), r's pre-activation
 *  gradient (dzr's second half, dZ's r columns), and carry += drh ⊙ r. */
function backwardR(
  t: number,
  { B, T, U, hard }: Dims,
  drh: Float32Array,
  gates: Float32Array,
  hPrev: Float32Array,
  dzr: Float32Array,
  carry: Float32Array,
  dZ: Float32Array,
  dbv: Float32Array,
): void {
  const G = 3 * U;
  for (let n = 0; n < B; n++) {
    const gi = (t * B + n) * G;
    const row = n * T + t;
    for (let u = 0; u < U; u++) {
      const s = n * U + u;
      const r = gates[gi + U + u];
      const dr = drh[s] * hPrev[row * U + u] * dRecurrent(r, hard);
      dzr[n * 2 * U + U + u] = dr;
      dZ[row * G + U + u] = dr;
      dbv[U + u] += dr;
      carry[s] += drh[s] * r;
    }
  }
}

/** The loops on the host (any backend), in time order. */
const hostGru: RecurrentOnHost = (x, kernel, recurrentKernel, bias, hard, returnSequences) => {
  const [B, T, D] = x.shape;
  const U = recurrentKernel.shape[0];
  const G = 3 * U;
  const dims: Dims = { B, T, U, hard };

  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, k, rk, b, save] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    save([xt, k, rk]);
    const flatX = tf.reshape(xt, [B * T, D]) as tf.Tensor2D;
    const proj = tf.matMul(flatX, k);
    const xp = proj.dataSync() as Float32Array;
    tf.dispose([flatX, proj]);
    const bv = b.dataSync() as Float32Array;

    const gates = takeBuffer(T * B * G);
    const hPrev = takeBuffer(B * T * U);
    const rh = takeBuffer(B * T * U);
    const rhStep = new Float32Array(B * U);
    const out = new Float32Array(returnSequences ? B * T * U : B * U);
    const [rkZR, rkH] = tf.split(rk, [2 * U, U], 1) as tf.Tensor2D[];
    const timesZR = rightMultiplier(rkZR);
    const timesH = rightMultiplier(rkH);
    let h = new Float32Array(B * U);
    for (let t = 0; t < T; t++) {
      const next = new Float32Array(B * U);
      gatesZR(t, dims, xp, bv, t > 0 ? timesZR(h, B) : null, h, gates, hPrev, rh, rhStep);
      gatesH(t, dims, xp, bv, t > 0 ? timesH(rhStep, B) : null, h, gates, next, returnSequences ? out : null);
      h = next;
    }
    tf.dispose([rkZR, rkH]);
    if (!returnSequences) out.set(h);
    const value = returnSequences ? tf.tensor3d(out, [B, T, U]) : tf.tensor2d(out, [B, U]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sk, srk] = saved;
      const dyv = dy.dataSync() as Float32Array;
      const dZ = takeBuffer(B * T * G);
      const dah = new Float32Array(B * U);
      const dzr = new Float32Array(B * 2 * U);
      const dbv = new Float32Array(G);
      let dh = new Float32Array(B * U);
      const [zrT, hT] = tf.split(srk, [2 * U, U], 1).map((w) => tf.transpose(w)) as tf.Tensor2D[];
      const timesZRT = rightMultiplier(zrT);
      const timesHT = rightMultiplier(hT);
      for (let t = T - 1; t >= 0; t--) {
        const carry = new Float32Array(B * U);
        backwardZH(t, dims, returnSequences, dyv, dh, gates, hPrev, dah, dzr, carry, dZ, dbv);
        // At t = 0, h_{−1} = 0: r has no gradient and nothing flows further back.
        const drh = t > 0 ? timesHT(dah, B) : new Float32Array(B * U);
        backwardR(t, dims, drh, gates, hPrev, dzr, carry, dZ, dbv);
        if (t > 0) {
          const back = timesZRT(dzr, B);
          for (let i = 0; i < carry.length; i++) carry[i] += back[i];
        }
        dh = carry;
      }
      const dZt = tf.tensor2d(dZ, [B * T, G]);
      const [dZR, dH] = tf.split(dZt, [2 * U, U], 1);
      const flat = tf.reshape(sx, [B * T, D]) as tf.Tensor2D;
      const hp = tf.tensor2d(hPrev, [B * T, U]);
      const rhs = tf.tensor2d(rh, [B * T, U]);
      const dx = tf.reshape(tf.matMul(dZt, sk as tf.Tensor2D, false, true), [B, T, D]);
      const dk = tf.matMul(flat, dZt, true, false);
      const drk = tf.concat([tf.matMul(hp, dZR, true, false), tf.matMul(rhs, dH, true, false)], 1);
      const db = tf.tensor1d(dbv);
      tf.dispose([zrT, hT, dZt, dZR, dH, flat, hp, rhs]);
      returnBuffers(gates, hPrev, rh, dZ);
      return [dx, dk, drk, db];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor;
};

/** Output of a GRU layer ([B, U], or [B, T, U] with returnSequences) with hand-written gradients. */
export const fusedGru: FusedRecurrent = heapOrHost(gruOnHeap, hostGru);

const routing = fusedRouting(() => tf.layers.gru({ units: 1 }), 3, fusedGru);

/** How many GRU calls took the fused path (tests check that it ran). */
export const fusedGruCalls = routing.calls;

/** Tests compare against tfjs' own GRU by turning the fused path off. */
export const setFusedGruEnabled = routing.setEnabled;

/** Route tfjs-layers' GRU through fusedGru where it applies (idempotent; all GRU layers). */
export const installFusedGru = routing.install;
