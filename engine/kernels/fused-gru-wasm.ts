// The fused GRU's WebAssembly path (fused-gru.ts chooses it): the same op as the host path, with the
// activations on the backend's heap, time-major, and each timestep's gates and their gradients in
// SIMD kernel calls (simd/recurrent.wat), the recurrent products too. goBackwards reads the input
// from its last timestep (the relayout into time-major does it).
import * as tf from '@tensorflow/tfjs';
import { relayout, timesTransposed, transposedTimes, type RecurrentOnHeap } from './recurrent-wasm.ts';

/** Output of a GRU layer ([B, U], or [B, T, U] with returnSequences) with its gradients. */
export const gruOnHeap: RecurrentOnHeap = (
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
  const G = 3 * U;
  const hd = hard ? 1 : 0;
  const { k, at } = h;
  // Byte offset of step s in a time-major buffer of rows of `w` floats.
  const step = (t: tf.TensorInfo, s: number, w: number) => at(t) + s * B * w * 4;

  const op = tf.customGrad((...args: unknown[]) => {
    const [xt, kk, rk, b, save] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    const xT = relayout(h, at(xt), [B, T, D], goBackwards, true);
    const xp = tf.matMul(xT as tf.Tensor2D, kk);
    const [rkZR, rkH] = tf.split(rk, [2 * U, U], 1) as tf.Tensor2D[];
    const gates = h.tensor([T * B, G]); // z, r, h̃
    const hs = h.tensor([(T + 1) * B, U]); // h_{s−1} at block s (block 0 zero)
    const rh = h.tensor([T * B, U]); // r ⊙ h_{s−1}
    const zeros = h.tensor([B, 2 * U], true);
    const hr = h.tensor([B, 2 * U]); // h_{s−1}·U_zr
    const rr = h.tensor([B, U]); // (r ⊙ h_{s−1})·U_h
    const mem = h.floats();
    mem.fill(0, at(hs) / 4, at(hs) / 4 + B * U);
    for (let s = 0; s < T; s++) {
      if (s > 0) k.matAdd(step(hs, s, U), at(rkZR), 0, at(hr), B, U, 2 * U, U * 4, 4);
      k.gruZR(
        step(xp, s, G),
        s > 0 ? at(hr) : at(zeros),
        at(b),
        step(hs, s, U),
        step(gates, s, G),
        step(rh, s, U),
        B,
        U,
        hd,
      );
      // At s = 0, h_{−1} = 0, so r ⊙ h_{−1} = 0 and so is its product with U_h.
      if (s > 0) k.matAdd(step(rh, s, U), at(rkH), 0, at(rr), B, U, U, U * 4, 4);
      k.gruH(
        step(xp, s, G),
        s > 0 ? at(rr) : at(zeros),
        at(b),
        step(hs, s, U),
        step(gates, s, G),
        step(hs, s + 1, U),
        B,
        U,
      );
    }
    const value = returnSequences
      ? relayout(h, step(hs, 1, U), [B, T, U], false, false)
      : tf.reshape(tf.slice(hs, [T * B, 0], [B, U]), [B, U]);
    save([xT, kk, rk, gates, hs, rh]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sxT, sk, srk, sg, shs, srh] = saved;
      const dyT = returnSequences ? relayout(h, at(dy), [B, T, U], false, true) : dy;
      const dZ = h.tensor([T * B, G]); // pre-activation gradients z, r, h̃
      const dZR = h.tensor([T * B, 2 * U]); // the same for z, r
      const dAH = h.tensor([T * B, U]); // the same for h̃
      const carry = [h.tensor([B, U]), h.tensor([B, U])];
      const zeros = h.tensor([B, 2 * U], true);
      const back = h.tensor([B, U]); // dzr_{s+1}·U_zrᵀ
      const drh = h.tensor([B, U]); // dah_s·U_hᵀ
      const [zrT, hT] = tf.split(srk, [2 * U, U], 1).map((w) => tf.transpose(w)) as tf.Tensor2D[];
      for (let s = T - 1; s >= 0; s--) {
        const dyS = returnSequences ? step(dyT, s, U) : s === T - 1 ? at(dy) : at(zeros);
        k.gruBackZH(
          s === T - 1 ? at(zeros) : at(carry[1]),
          s < T - 1 ? at(back) : at(zeros),
          dyS,
          step(sg, s, G),
          step(shs, s, U),
          step(dZ, s, G),
          step(dZR, s, 2 * U),
          step(dAH, s, U),
          at(carry[0]),
          B,
          U,
          hd,
        );
        // At s = 0, h_{−1} = 0: r has no gradient and nothing flows further back.
        if (s > 0) k.matAdd(step(dAH, s, U), at(hT), 0, at(drh), B, U, U, U * 4, 4);
        k.gruBackR(
          s > 0 ? at(drh) : at(zeros),
          step(sg, s, G),
          step(shs, s, U),
          step(dZ, s, G),
          step(dZR, s, 2 * U),
          at(carry[0]),
          at(carry[1]),
          B,
          U,
          hd,
        );
        if (s > 0) k.matAdd(step(dZR, s, 2 * U), at(zrT), 0, at(back), B, 2 * U, U, 2 * U * 4, 4);
      }
      const dxT = timesTransposed(h, dZ, sk);
      const dx = relayout(h, at(dxT), [B, T, D], goBackwards, false);
      const dk = transposedTimes(h, sxT, dZ);
      // h_{s−1} for every step is the first T blocks of hs.
      const drk = tf.concat([transposedTimes(h, shs, dZR), transposedTimes(h, srh, dAH)], 1);
      const db = tf.sum(dZ, 0);
      return [dx, dk, drk, db];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias) as tf.Tensor;
};
