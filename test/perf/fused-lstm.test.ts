// The fused LSTM (engine/kernels/fused-lstm.ts) gives tfjs-layers' own LSTM's outputs and gradients
// (inputs, kernel, recurrent kernel, bias) on wasm, and a saved model keeps the standard LSTM class.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { fusedLstmCalls, setFusedLstmEnabled } from '../../engine/kernels/fused-lstm.ts';

afterAll(() => setFusedLstmEnabled(true));

function run(
  fused: boolean,
  config: { returnSequences: boolean; recurrentActivation: 'sigmoid' | 'hardSigmoid' },
) {
  setFusedLstmEnabled(fused);
  const layer = tf.layers.lstm({ units: 4, ...config });
  const result = tf.tidy(() => {
    const x = tf.tensor3d(
      Array.from({ length: 3 * 5 * 3 }, (_, i) => Math.sin(i * 1.7) * 2),
      [3, 5, 3],
    );
    layer.apply(x); // build
    const weights = [
      tf.tensor(
        Array.from({ length: 3 * 16 }, (_, i) => Math.cos(i * 0.37) * 0.5),
        [3, 16],
      ),
      tf.tensor(
        Array.from({ length: 4 * 16 }, (_, i) => Math.sin(i * 0.91) * 0.5),
        [4, 16],
      ),
      tf.tensor(
        Array.from({ length: 16 }, (_, i) => Math.sin(i * 2.3) * 0.3),
        [16],
      ),
    ];
    layer.setWeights(weights);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const probe = (y: tf.Tensor) => tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
    const out = layer.apply(x) as tf.Tensor;
    const { grads } = tf.variableGrads(() => probe(layer.apply(x) as tf.Tensor) as tf.Scalar, vars);
    const dx = tf.grad((xi: tf.Tensor) => probe(layer.apply(xi) as tf.Tensor))(x);
    return [out, dx, ...vars.map((v) => grads[v.name])].map((t) => Array.from(t.dataSync()));
  });
  layer.dispose();
  return result;
}

describe('fused LSTM on wasm', () => {
  for (const returnSequences of [false, true]) {
    for (const recurrentActivation of ['sigmoid', 'hardSigmoid'] as const) {
      it(`matches tfjs' LSTM (returnSequences ${returnSequences}, ${recurrentActivation}): output and every gradient`, async () => {
        await selectBackend('wasm');
        const before = tf.memory().numTensors;
        const c0 = fusedLstmCalls();
        const want = run(false, { returnSequences, recurrentActivation });
        expect(fusedLstmCalls()).toBe(c0);
        const got = run(true, { returnSequences, recurrentActivation });
        expect(fusedLstmCalls()).toBeGreaterThan(c0);
        expect(tf.memory().numTensors).toBe(before);
        const names = ['output', 'd input', 'd kernel', 'd recurrent kernel', 'd bias'];
        want.forEach((w, k) => {
          expect(got[k].length, names[k]).toBe(w.length);
          const worst = Math.max(...w.map((v, i) => Math.abs(v - got[k][i]) / Math.max(1, Math.abs(v))));
          expect(worst, names[k]).toBeLessThan(1e-5);
        });
      });
    }
  }

  it('keeps the standard tfjs layers format (class "LSTM")', async () => {
    await selectBackend('wasm');
    const model = tf.sequential({ layers: [tf.layers.lstm({ units: 2, inputShape: [3, 2] })] });
    const json = model.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['LSTM']);
    model.dispose();
  });
});
