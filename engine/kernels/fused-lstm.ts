// A fused LSTM for the WebAssembly and pure-JS backends. tfjs-layers runs an LSTM as ~15 small ops
// per timestep forward and twice that backward (~2,000 kernel calls per batch of the LSTM
// benchmark), so per-op overhead dominates. This path runs the layer as one custom-gradient op: the
// input projection of all timesteps in one matmul, one matmul per step for the recurrent term, the
// gates on the host, and backpropagation through time by hand (one matmul per step, then one each
// for the weight gradients). Same weights, same equations, same class: saved models are unchanged.
// Layers with masks, dropout, state, reversed time or other activations keep tfjs' own path.
import * as tf from '@tensorflow/tfjs';

type Rec = 'sigmoid' | 'hardSigmoid';

interface LstmCellLike {
  units: number;
  dropout: number;
  recurrentDropout: number;
  useBias: boolean;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
}

interface LstmLike {
  cell: LstmCellLike;
  stateful: boolean;
  goBackwards: boolean;
  returnState: boolean;
  returnSequences: boolean;
}

type CallFn = (this: LstmLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown> | undefined) => tf.Tensor | tf.Tensor[];

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const hardSigmoid = (z: number) => Math.min(1, Math.max(0, 0.2 * z + 0.5));

/** The one input tensor when the fused path applies, else null. */
function fusable(layer: LstmLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown> | undefined): tf.Tensor3D | null {
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') return null;
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
  if (!x || x.rank !== 3 || x.dtype !== 'float32') return null;
  if (kwargs?.mask != null || kwargs?.initialState != null) return null;
  const c = layer.cell;
  if (layer.stateful || layer.goBackwards || layer.returnState) return null;
  if (c.dropout > 0 || c.recurrentDropout > 0) return null;
  if (c.activation.getClassName() !== 'tanh') return null;
  const rec = c.recurrentActivation.getClassName();
  if (rec !== 'sigmoid' && rec !== 'hardSigmoid') return null;
  return x as tf.Tensor3D;
}

/** Output of an LSTM layer ([B, U], or [B, T, U] with returnSequences) with hand-written gradients. */
export function fusedLstm(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  rec: Rec,
  returnSequences: boolean,
): tf.Tensor {
  const [B, T, D] = x.shape;
  const U = recurrentKernel.shape[0];
  const G = 4 * U;
  const act = rec === 'sigmoid' ? sigmoid : hardSigmoid;
  // Derivative of the recurrent activation from its output.
  const dAct = rec === 'sigmoid' ? (y: number) => y * (1 - y) : (y: number) => (y > 0 && y < 1 ? 0.2 : 0);

  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, k, r, b, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xt, k, r]);
    const flatX = tf.reshape(xt, [B * T, D]) as tf.Tensor2D;
    const proj = tf.matMul(flatX, k);
    const xp = proj.dataSync() as Float32Array;
    tf.dispose([flatX, proj]);
    const bv = b.dataSync() as Float32Array;

    const gates = new Float32Array(T * B * G); // post-activation i, f, g, o per step
    const cs = new Float32Array(T * B * U); // c_t
    const tcs = new Float32Array(T * B * U); // tanh(c_t)
    const hPrev = new Float32Array(B * T * U); // h_{t-1}, rows (b, t): the layout of x
    const out = new Float32Array(returnSequences ? B * T * U : B * U);
    let h = new Float32Array(B * U);
    const z = new Float32Array(G);
    for (let t = 0; t < T; t++) {
      let hr: Float32Array | null = null;
      if (t > 0) {
        const ht = tf.tensor2d(h, [B, U]);
        const m = tf.matMul(ht, r);
        hr = m.dataSync() as Float32Array;
        tf.dispose([ht, m]);
      }
      const next = new Float32Array(B * U);
      const gOff = t * B * G;
      const cOff = t * B * U;
      for (let n = 0; n < B; n++) {
        const zRow = (n * T + t) * G;
        const hRow = (n * T + t) * U;
        for (let j = 0; j < G; j++) z[j] = xp[zRow + j] + bv[j] + (hr ? hr[n * G + j] : 0);
        for (let u = 0; u < U; u++) {
          const i = act(z[u]);
          const f = act(z[U + u]);
          const g = Math.tanh(z[2 * U + u]);
          const o = act(z[3 * U + u]);
          const cPrev = t > 0 ? cs[cOff - B * U + n * U + u] : 0;
          const c = f * cPrev + i * g;
          const tc = Math.tanh(c);
          const hv = o * tc;
          const gi = gOff + n * G;
          gates[gi + u] = i;
          gates[gi + U + u] = f;
          gates[gi + 2 * U + u] = g;
          gates[gi + 3 * U + u] = o;
          cs[cOff + n * U + u] = c;
          tcs[cOff + n * U + u] = tc;
          hPrev[hRow + u] = h[n * U + u];
          next[n * U + u] = hv;
          if (returnSequences) out[hRow + u] = hv;
        }
      }
      h = next;
    }
    if (!returnSequences) out.set(h);
    const value = returnSequences ? tf.tensor3d(out, [B, T, U]) : tf.tensor2d(out, [B, U]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sk, sr] = saved;
      const dyv = dy.dataSync() as Float32Array;
      const dZ = new Float32Array(B * T * G);
      const dzt = new Float32Array(B * G);
      let dh: Float32Array = new Float32Array(B * U);
      const dc = new Float32Array(B * U);
      for (let t = T - 1; t >= 0; t--) {
        const gOff = t * B * G;
        const cOff = t * B * U;
        for (let n = 0; n < B; n++) {
          for (let u = 0; u < U; u++) {
            const s = n * U + u;
            let dhv = dh[s];
            if (returnSequences) dhv += dyv[(n * T + t) * U + u];
            else if (t === T - 1) dhv += dyv[s];
            const gi = gOff + n * G;
            const i = gates[gi + u];
            const f = gates[gi + U + u];
            const g = gates[gi + 2 * U + u];
            const o = gates[gi + 3 * U + u];
            const tc = tcs[cOff + s];
            const cPrev = t > 0 ? cs[cOff - B * U + s] : 0;
            const dcv = dc[s] + dhv * o * (1 - tc * tc);
            dc[s] = dcv * f;
            const zi = n * G;
            dzt[zi + u] = dcv * g * dAct(i);
            dzt[zi + U + u] = dcv * cPrev * dAct(f);
            dzt[zi + 2 * U + u] = dcv * i * (1 - g * g);
            dzt[zi + 3 * U + u] = dhv * tc * dAct(o);
          }
          dZ.set(dzt.subarray(n * G, (n + 1) * G), (n * T + t) * G);
        }
        if (t > 0) {
          const dzTensor = tf.tensor2d(dzt, [B, G]);
          const m = tf.matMul(dzTensor, sr, false, true);
          dh = m.dataSync() as Float32Array;
          tf.dispose([dzTensor, m]);
        }
      }
      const dZt = tf.tensor2d(dZ, [B * T, G]);
      const flat = tf.reshape(sx, [B * T, D]) as tf.Tensor2D;
      const hp = tf.tensor2d(hPrev, [B * T, U]);
      const dx = tf.reshape(tf.matMul(dZt, sk as tf.Tensor2D, false, true), [B, T, D]);
      const dk = tf.matMul(flat, dZt, true, false);
      const dr = tf.matMul(hp, dZt, true, false);
      const db = tf.sum(dZt, 0);
      tf.dispose([dZt, flat, hp]);
      return [dx, dk, dr, db];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor;
}

let installed = false;
let enabled = true;

let calls = 0;

/** How many LSTM calls took the fused path (tests check that it ran). */
export function fusedLstmCalls(): number {
  return calls;
}

/** Tests compare against tfjs' own LSTM by turning the fused path off. */
export function setFusedLstmEnabled(on: boolean): void {
  enabled = on;
}

/** Route tfjs-layers' LSTM through fusedLstm where it applies (idempotent; all LSTM layers). */
export function installFusedLstm(): void {
  if (installed) return;
  installed = true;
  const probe = tf.layers.lstm({ units: 1 }) as unknown as { constructor: { prototype: { call: CallFn } } };
  const proto = probe.constructor.prototype;
  const original = proto.call;
  proto.call = function (this: LstmLike, inputs, kwargs) {
    const x = enabled ? fusable(this, inputs, kwargs) : null;
    if (!x) return original.call(this, inputs, kwargs);
    calls++;
    const c = this.cell;
    const G = 4 * c.units;
    return tf.tidy(() => {
      const bias = c.useBias && c.bias ? c.bias.read() : tf.zeros([G]);
      return fusedLstm(x, c.kernel.read(), c.recurrentKernel.read(), bias, c.recurrentActivation.getClassName() as Rec, this.returnSequences);
    });
  };
}
