// The fused LSTM and GRU (engine/kernels/fused-lstm.ts, fused-gru.ts) give what tfjs-layers' own
// layers give on the cpu backend: the output and every gradient (input, kernel, recurrent kernel,
// bias), on the WebAssembly backend's SIMD path and on the host loops (cpu backend; wasm with fewer
// than 4 units), with and without returnSequences, goBackwards and a Bidirectional wrapper, both
// recurrent activations, on odd sizes; a saved model keeps the standard layer classes.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { fusedLstmCalls, setFusedLstmEnabled } from '../../engine/kernels/fused-lstm.ts';
import { fusedGruCalls, setFusedGruEnabled } from '../../engine/kernels/fused-gru.ts';

afterAll(() => {
  setFusedLstmEnabled(true);
  setFusedGruEnabled(true);
});

const KINDS = {
  LSTM: { gates: 4, make: tf.layers.lstm, calls: fusedLstmCalls, enable: setFusedLstmEnabled },
  GRU: { gates: 3, make: tf.layers.gru, calls: fusedGruCalls, enable: setFusedGruEnabled },
};
type Kind = keyof typeof KINDS;

interface Case {
  kind: Kind;
  B: number;
  T: number;
  D: number;
  U: number;
  returnSequences: boolean;
  goBackwards: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  bidirectional?: boolean;
}

const fill = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

/** Output and gradients [y, dx, dW…] of one layer on `backend`, fused or tfjs' own. */
async function run(c: Case, backend: 'cpu' | 'wasm', fused: boolean): Promise<number[][]> {
  await selectBackend('wasm'); // registers the project's kernels and the fused layer paths once
  await tf.setBackend(backend);
  const kind = KINDS[c.kind];
  kind.enable(fused);
  const G = kind.gates * c.U;
  const inner = kind.make({
    units: c.U,
    returnSequences: c.returnSequences,
    goBackwards: c.goBackwards,
    recurrentActivation: c.recurrentActivation,
    recurrentInitializer: 'zeros', // setWeights replaces it; the default orthogonal one is slow
  });
  const layer = c.bidirectional ? tf.layers.bidirectional({ layer: inner, mergeMode: 'concat' }) : inner;
  const result = tf.tidy(() => {
    const x = tf.tensor3d(
      fill(c.B * c.T * c.D, (i) => Math.sin(i * 1.7) * 2),
      [c.B, c.T, c.D],
    );
    layer.apply(x); // build
    const directions = c.bidirectional ? 2 : 1;
    const weights = [];
    for (let d = 0; d < directions; d++) {
      weights.push(
        tf.tensor(
          fill(c.D * G, (i) => Math.cos(i * 0.37 + d) * 0.6),
          [c.D, G],
        ),
        tf.tensor(
          fill(c.U * G, (i) => Math.sin(i * 0.91 + d) * 0.6),
          [c.U, G],
        ),
        tf.tensor(
          fill(G, (i) => Math.sin(i * 2.3 + d) * 0.3),
          [G],
        ),
      );
    }
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

function expectClose(got: number[][], want: number[][]) {
  const names = ['output', 'd input', 'd kernel', 'd recurrent kernel', 'd bias'];
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    const name = names[k] ?? `d weight ${k}`;
    expect(got[k].length, name).toBe(w.length);
    const worst = Math.max(...w.map((v, i) => Math.abs(v - got[k][i]) / Math.max(1, Math.abs(v))));
    expect(worst, name).toBeLessThan(1e-5);
  });
}

const base = { B: 3, T: 5, D: 3, U: 5, recurrentActivation: 'sigmoid' } as const;
const CASES: Case[] = [];
for (const kind of ['LSTM', 'GRU'] as const) {
  for (const returnSequences of [false, true]) {
    for (const goBackwards of [false, true]) {
      CASES.push({ kind, ...base, returnSequences, goBackwards });
    }
  }
  CASES.push({ kind, ...base, recurrentActivation: 'hardSigmoid', returnSequences: true, goBackwards: true });
  // A multiple of 4 units, one input feature, an odd batch; and 3 units (the host loops on wasm too).
  CASES.push({
    kind,
    B: 5,
    T: 7,
    D: 1,
    U: 8,
    recurrentActivation: 'sigmoid',
    returnSequences: false,
    goBackwards: false,
  });
  CASES.push({
    kind,
    B: 2,
    T: 4,
    D: 2,
    U: 3,
    recurrentActivation: 'sigmoid',
    returnSequences: true,
    goBackwards: true,
  });
  CASES.push({ kind, ...base, returnSequences: true, goBackwards: false, bidirectional: true });
  // 280 rows × timesteps: the weight gradients are summed in several blocks of rows.
  CASES.push({
    kind,
    B: 20,
    T: 14,
    D: 3,
    U: 64,
    recurrentActivation: 'sigmoid',
    returnSequences: false,
    goBackwards: false,
  });
  // One row, two timesteps (tfjs' own layer, the reference, fails on one).
  CASES.push({
    kind,
    B: 1,
    T: 2,
    D: 2,
    U: 4,
    recurrentActivation: 'sigmoid',
    returnSequences: true,
    goBackwards: true,
  });
}

const label = (c: Case) =>
  `${c.bidirectional ? 'Bidirectional ' : ''}${c.kind} ${c.U} units on [${c.B}, ${c.T}, ${c.D}], ` +
  `returnSequences ${c.returnSequences}, goBackwards ${c.goBackwards}, ${c.recurrentActivation}`;

describe('fused LSTM and GRU', () => {
  for (const c of CASES) {
    it(`${label(c)}: fused on wasm and on cpu match tfjs' own layer on cpu`, async () => {
      const calls = KINDS[c.kind].calls;
      const c0 = calls();
      const want = await run(c, 'cpu', false);
      expect(calls()).toBe(c0);
      await selectBackend('wasm');
      const before = tf.memory().numTensors;
      const onWasm = await run(c, 'wasm', true);
      expect(tf.getBackend()).toBe('wasm');
      expect(tf.memory().numTensors).toBe(before);
      // Four applications (build, output, weight gradients, input gradient), each direction fused.
      expect(calls() - c0).toBe(4 * (c.bidirectional ? 2 : 1));
      expectClose(onWasm, want);
      const onCpu = await run(c, 'cpu', true);
      expect(calls() - c0).toBe(8 * (c.bidirectional ? 2 : 1));
      expectClose(onCpu, want);
    });
  }

  it('keeps the standard tfjs layers format (classes "LSTM", "GRU", "Bidirectional")', async () => {
    await selectBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 2, inputShape: [3, 2], returnSequences: true }),
        tf.layers.bidirectional({ layer: tf.layers.gru({ units: 2 }) }),
      ],
    });
    const json = model.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['LSTM', 'Bidirectional']);
    model.dispose();
  });
});
