// The fused LSTM's WebAssembly path (fused-lstm.ts chooses it): the same op as the host path, with
// the activations on the backend's heap, time-major, and each timestep's gates, cell update and
// their gradients in one SIMD kernel call (simd/recurrent.wat), the recurrent products in another.
// goBackwards reads the input from its last timestep (the relayout into time-major does it).
import * as tf from '@tensorflow/tfjs';
import { relayout, timesTransposed, transposedTimes, type RecurrentOnHeap } from './recurrent-wasm.ts';

/** Output of an LSTM layer ([B, U], or [B, T, U] with returnSequences) with its gradients. */
export const lstmOnHeap: RecurrentOnHeap = (
  h,
  x,
  kernel,
  recurrentKernel,
  bias,
  hard,
  returnSequences,
  goBackwards,
) => {
  const [B, T, D] = x.shape;
  const U = recurrentKernel.shape[0];
  const G = 4 * U;
  const hd = hard ? 1 : 0;
  const { k, at } = h;
  // Byte offsets of step s in a time-major buffer of rows of `w` floats.
  const step = (t: tf.TensorInfo, s: number, w: number) => at(t) + s * B * w * 4;

  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, kk, r, b, save] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    const xT = relayout(h, at(xt), [B, T, D], goBackwards, true);
    const xp = tf.matMul(xT as tf.Tensor2D, kk);
    const gates = h.tensor([T * B, G]); // post-activation i, f, g, o
    const cs = h.tensor([(T + 1) * B, U]); // c_{s−1} at block s (block 0 zero)
    const tcs = h.tensor([T * B, U]); // tanh c_s
    const hs = h.tensor([(T + 1) * B, U]); // h_{s−1} at block s (block 0 zero)
    const zeros = h.tensor([B, G], true);
    const z = h.tensor([B, G]); // xp_s + h_{s−1}·R
    const mem = h.floats();
    mem.fill(0, at(cs) / 4, at(cs) / 4 + B * U);
    mem.fill(0, at(hs) / 4, at(hs) / 4 + B * U);
    for (let s = 0; s < T; s++) {
      if (s > 0) k.matAdd(step(hs, s, U), at(r), step(xp, s, G), at(z), B, U, G, U * 4, 4);
      k.lstmForward(
        s > 0 ? at(z) : step(xp, s, G),
        at(zeros),
        at(b),
        step(cs, s, U),
        step(gates, s, G),
        step(cs, s + 1, U),
        step(tcs, s, U),
        step(hs, s + 1, U),
        B,
        U,
        hd,
      );
    }
    const value = returnSequences
      ? relayout(h, step(hs, 1, U), [B, T, U], false, false)
      : tf.reshape(tf.slice(hs, [T * B, 0], [B, U]), [B, U]);
    save([xT, kk, r, gates, cs, tcs, hs]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sxT, sk, sr, sg, scs, stcs, shs] = saved;
      const dyT = returnSequences ? relayout(h, at(dy), [B, T, U], false, true) : dy;
      const dZ = h.tensor([T * B, G]);
      const dcs = [h.tensor([B, U], true), h.tensor([B, U])];
      const zeros = h.tensor([B, G], true);
      const dhRec = h.tensor([B, U]); // dz_{s+1}·Rᵀ
      const rT = tf.transpose(sr) as tf.Tensor2D;
      for (let s = T - 1; s >= 0; s--) {
        const dyS = returnSequences ? step(dyT, s, U) : s === T - 1 ? at(dy) : at(zeros);
        k.lstmBackward(
          s < T - 1 ? at(dhRec) : at(zeros),
          dyS,
          at(dcs[(T - 1 - s) % 2]),
          step(sg, s, G),
          step(scs, s, U),
          step(stcs, s, U),
          step(dZ, s, G),
          at(dcs[(T - s) % 2]),
          B,
          U,
          hd,
        );
        if (s > 0) k.matAdd(step(dZ, s, G), at(rT), 0, at(dhRec), B, G, U, G * 4, 4);
      }
      const dxT = timesTransposed(h, dZ, sk);
      const dx = relayout(h, at(dxT), [B, T, D], goBackwards, false);
      const dk = transposedTimes(h, sxT, dZ);
      // h_{s−1} for every step is the first T blocks of hs.
      const dr = transposedTimes(h, shs, dZ);
      const db = tf.sum(dZ, 0);
      return [dx, dk, dr, db];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor;
};
