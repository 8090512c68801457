// The fused GRU (engine/kernels/fused-gru.ts) on wasm gives what tfjs-layers' own GRU gives on the
// cpu backend: the output and every gradient (input, kernel, recurrent kernel, bias), with and
// without returnSequences, both recurrent activations, on odd sizes; a saved model keeps the
// standard GRU class.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { fusedGruCalls, setFusedGruEnabled } from '../../engine/kernels/fused-gru.ts';

afterAll(() => setFusedGruEnabled(true));

const [B, T, D, U] = [3, 5, 3, 5];

async function run(
  backend: 'cpu' | 'wasm',
  config: { returnSequences: boolean; recurrentActivation: 'sigmoid' | 'hardSigmoid' },
) {
  await selectBackend('wasm'); // registers the project's kernels and the fused layer paths once
  await tf.setBackend(backend);
  setFusedGruEnabled(backend === 'wasm');
  const layer = tf.layers.gru({ units: U, ...config });
  const result = tf.tidy(() => {
    const x = tf.tensor3d(
      Array.from({ length: B * T * D }, (_, i) => Math.sin(i * 1.7) * 2),
      [B, T, D],
    );
    layer.apply(x); // build
    layer.setWeights([
      tf.tensor(
        Array.from({ length: D * 3 * U }, (_, i) => Math.cos(i * 0.37) * 0.6),
        [D, 3 * U],
      ),
      tf.tensor(
        Array.from({ length: U * 3 * U }, (_, i) => Math.sin(i * 0.91) * 0.6),
        [U, 3 * U],
      ),
      tf.tensor(
        Array.from({ length: 3 * U }, (_, i) => Math.sin(i * 2.3) * 0.3),
        [3 * U],
      ),
    ]);
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

describe('fused GRU on wasm', () => {
  for (const returnSequences of [false, true]) {
    for (const recurrentActivation of ['sigmoid', 'hardSigmoid'] as const) {
      it(`matches tfjs' GRU on cpu (returnSequences ${returnSequences}, ${recurrentActivation}): output and every gradient`, async () => {
        const c0 = fusedGruCalls();
        const want = await run('cpu', { returnSequences, recurrentActivation });
        expect(fusedGruCalls()).toBe(c0);
        await selectBackend('wasm');
        const before = tf.memory().numTensors;
        const got = await run('wasm', { returnSequences, recurrentActivation });
        expect(tf.getBackend()).toBe('wasm');
        expect(fusedGruCalls()).toBeGreaterThan(c0);
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

  it('keeps the standard tfjs layers format (class "GRU")', async () => {
    await selectBackend('wasm');
    const model = tf.sequential({ layers: [tf.layers.gru({ units: 2, inputShape: [3, 2] })] });
    const json = model.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['GRU']);
    model.dispose();
  });
});
