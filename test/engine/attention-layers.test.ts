// MultiHeadAttention and PositionalEmbedding against their definitions: parameter counts from
// Keras's weight shapes, outputs from a float64 re-computation of the equations (causal mask too),
// ONNX parity in onnxruntime-node within 1e-5, a saved model that reloads and predicts the same,
// and gradients on WebAssembly equal to the cpu backend's.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { loadLayersModel, saveLayersModel } from '../../engine/io/tfjs-files.ts';
import { sinusoidTable } from '../../engine/layers/attention-tfjs.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { exportWithParity, randomizeWeights, tf } from '../onnx/harness.ts';
import { dag, singleLayerGraph } from './graph-helpers.ts';

type Mha = { numHeads: number; keyDim: number; valueDim?: number; useBias?: boolean; causal?: boolean };

/**
 * Keras's MultiHeadAttention builds four EinsumDense layers: query/key kernels [features, heads,
 * key_dim], value [features, heads, value_dim], output [heads, value_dim, query features]; biases
 * are the kernels' trailing axes. Its count is the sum of their sizes.
 */
function kerasMhaParams(q: number, k: number, v: number, p: Mha): number {
  const h = p.numHeads;
  const dv = p.valueDim || p.keyDim;
  const shapes = [
    [q, h, p.keyDim],
    [k, h, p.keyDim],
    [v, h, dv],
    [h, dv, q],
    ...(p.useBias === false ? [] : [[h, p.keyDim], [h, p.keyDim], [h, dv], [q]]),
  ];
  return shapes.reduce((sum, s) => sum + s.reduce((a, b) => a * b, 1), 0);
}

const mhaCases: [number[][], Mha][] = [
  [
    [
      [5, 8],
      [5, 8],
    ],
    { numHeads: 2, keyDim: 4 },
  ],
  [
    [
      [4, 6],
      [7, 5],
      [7, 3],
    ],
    { numHeads: 3, keyDim: 2, valueDim: 5, useBias: false },
  ],
  [
    [
      [6, 4],
      [6, 4],
    ],
    { numHeads: 1, keyDim: 8, causal: true },
  ],
  [
    [
      [3, 10],
      [9, 2],
    ],
    { numHeads: 4, keyDim: 3, valueDim: 6 },
  ],
];

/** y for one sample, in float64, from the layer's weights as tfjs stores them. */
function referenceMha(
  x: number[][][],
  w: Map<string, { data: Float32Array; shape: number[] }>,
  p: Mha,
): number[][] {
  const [query, key, value = key] = x;
  const h = p.numHeads;
  const kd = p.keyDim;
  const dv = p.valueDim || kd;
  const proj = (seq: number[][], part: string, depth: number) =>
    seq.map((row) =>
      Array.from({ length: h }, (_, head) =>
        Array.from({ length: depth }, (_, j) => {
          const k = w.get(`${part}_kernel`)!;
          let s = w.has(`${part}_bias`) ? w.get(`${part}_bias`)!.data[head * depth + j] : 0;
          row.forEach((xi, i) => (s += xi * k.data[(i * h + head) * depth + j]));
          return s;
        }),
      ),
    );
  const qp = proj(query, 'query', kd);
  const kp = proj(key, 'key', kd);
  const vp = proj(value, 'value', dv);
  const out = w.get('output_kernel')!;
  const dq = query[0].length;
  return query.map((_, t) => {
    const mixed = Array.from({ length: h }, (_, head) => {
      const scores = kp.map((kr, s) =>
        p.causal && s > t
          ? -Infinity
          : kr[head].reduce((a, kv, j) => a + kv * qp[t][head][j], 0) / Math.sqrt(kd),
      );
      const m = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - m));
      const z = e.reduce((a, b) => a + b, 0);
      return Array.from({ length: dv }, (_, j) => e.reduce((a, ei, s) => a + (ei / z) * vp[s][head][j], 0));
    });
    return Array.from({ length: dq }, (_, o) => {
      let s = w.has('output_bias') ? w.get('output_bias')!.data[o] : 0;
      for (let head = 0; head < h; head++)
        for (let j = 0; j < dv; j++) s += mixed[head][j] * out.data[(head * dv + j) * dq + o];
      return s;
    });
  });
}

const seqData = (n: number, shape: number[], phase: number) =>
  Array.from({ length: n }, (_, b) =>
    Array.from({ length: shape[0] }, (_, t) =>
      Array.from({ length: shape[1] }, (_, f) => Math.sin(1.3 * t + 0.7 * f + phase + b)),
    ),
  );

function weightsOf(layer: tfjs.layers.Layer) {
  return new Map(
    layer.weights.map((v) => {
      const short = v.originalName.slice(v.originalName.lastIndexOf('/') + 1);
      return [short, { data: v.read().dataSync() as Float32Array, shape: v.shape as number[] }];
    }),
  );
}

describe('MultiHeadAttention', () => {
  it.each(mhaCases)('%j %j: shape and parameter count are Keras’s', (inputs, p) => {
    const graph = singleLayerGraph(inputs, 'MultiHeadAttention', p);
    const node = inspectGraph(graph).nodes.find((n) => n.id === 'layer')!;
    const [q, k, v = k] = inputs.map((s) => s[1]);
    expect(node.paramCount).toBe(kerasMhaParams(q, k, v, p));
    expect(node.outputShape).toEqual([null, ...inputs[0]]);
    const { model, layerOf } = compileGraph(tf, graph);
    expect(layerOf.get('layer')!.countParams()).toBe(node.paramCount);
    model.dispose();
  });

  it.each(mhaCases)('%j %j computes the attention equation (float64 reference, 1e-5)', (inputs, p) => {
    const { model, layerOf, inputIds } = compileGraph(tf, singleLayerGraph(inputs, 'MultiHeadAttention', p));
    randomizeWeights(model, 3);
    const xs = inputs.map((s, i) => seqData(2, s, i));
    const y = (
      model.predict(inputIds.map((id) => tf.tensor(xs[Number(id.slice(2))]))) as tfjs.Tensor
    ).arraySync() as number[][][];
    const w = weightsOf(layerOf.get('layer')!);
    for (let b = 0; b < 2; b++) {
      const ref = referenceMha(
        xs.map((x) => x[b]),
        w,
        p,
      );
      const diff = Math.max(...ref.flatMap((row, t) => row.map((r, o) => Math.abs(r - y[b][t][o]))));
      expect(diff).toBeLessThan(1e-5);
    }
    model.dispose();
  });

  it('causal: changing a later step leaves every earlier output as it was', () => {
    const graph = dag(
      [
        ['x', 'Input', { shape: [6, 4] }],
        ['mha', 'MultiHeadAttention', { numHeads: 2, keyDim: 3, causal: true }],
        ['out', 'Output', { loss: 'meanSquaredError' }],
      ],
      [
        ['x', 'mha', 'query'],
        ['x', 'mha', 'key'],
        ['mha', 'out'],
      ],
    );
    const { model } = compileGraph(tf, graph);
    const x = seqData(1, [6, 4], 0);
    const changed = structuredClone(x);
    changed[0][4] = changed[0][4].map((v) => v + 3);
    const a = (model.predict(tf.tensor(x)) as tfjs.Tensor).arraySync() as number[][][];
    const b = (model.predict(tf.tensor(changed)) as tfjs.Tensor).arraySync() as number[][][];
    expect(b[0].slice(0, 4)).toEqual(a[0].slice(0, 4));
    expect(b[0][4]).not.toEqual(a[0][4]);
    model.dispose();
  });

  it('names a missing or doubled port in one sentence', () => {
    const graph = (edges: [string, string, string?][]) =>
      dag(
        [
          ['x', 'Input', { shape: [6, 4] }],
          ['mha', 'MultiHeadAttention', {}],
          ['out', 'Output', { loss: 'meanSquaredError' }],
        ],
        [...edges, ['mha', 'out']],
      );
    const errors = (g: Graph) =>
      inspectGraph(g)
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => d.message);
    expect(errors(graph([['x', 'mha', 'query']]))).toEqual([
      'MultiHeadAttention has nothing on its "key" input (the sequence matched against the queries); connect a layer to it.',
    ]);
    expect(
      errors(
        graph([
          ['x', 'mha', 'query'],
          ['x', 'mha', 'query'],
          ['x', 'mha', 'key'],
        ]),
      ),
    ).toEqual(['MultiHeadAttention has 2 connections on its "query" input; one edge per port.']);
    expect(
      errors(
        graph([
          ['x', 'mha', 'query'],
          ['x', 'mha'],
        ]),
      ),
    ).toEqual([
      'Edge "e1" into MultiHeadAttention names no port; its inputs are "query", "key", "value", so connect it to one of them.',
      'MultiHeadAttention has nothing on its "key" input (the sequence matched against the queries); connect a layer to it.',
    ]);
  });
});

describe('PositionalEmbedding', () => {
  it('learned: sequenceLength × features weights, added to the input', () => {
    const graph = singleLayerGraph([[5, 3]], 'PositionalEmbedding', { sequenceLength: 8 });
    expect(inspectGraph(graph).nodes.find((n) => n.id === 'layer')!.paramCount).toBe(8 * 3);
    const { model, layerOf } = compileGraph(tf, graph);
    randomizeWeights(model, 5);
    const table = weightsOf(layerOf.get('layer')!).get('embeddings')!;
    expect(table.shape).toEqual([8, 3]);
    const x = seqData(1, [5, 3], 0);
    const y = (model.predict(tf.tensor(x)) as tfjs.Tensor).arraySync() as number[][][];
    const diff = Math.max(
      ...y[0].flatMap((row, t) => row.map((v, f) => Math.abs(v - x[0][t][f] - table.data[t * 3 + f]))),
    );
    expect(diff).toBeLessThan(1e-6);
    model.dispose();
  });

  it('sinusoidal: no weights; P[t, 2i] = sin(t / 10000^(2i/d)), P[t, 2i+1] = cos(…)', () => {
    const graph = singleLayerGraph([[7, 6]], 'PositionalEmbedding', {
      sequenceLength: 7,
      mode: 'sinusoidal',
    });
    expect(inspectGraph(graph).totalParams).toBe(0);
    const table = sinusoidTable(7, 6);
    expect(table[3 * 6 + 0]).toBeCloseTo(Math.sin(3), 6);
    expect(table[3 * 6 + 1]).toBeCloseTo(Math.cos(3), 6);
    expect(table[5 * 6 + 4]).toBeCloseTo(Math.sin(5 / 10000 ** (4 / 6)), 6);
    const { model } = compileGraph(tf, graph);
    const zeros = tf.zeros([1, 7, 6]);
    expect(Array.from((model.predict(zeros) as tfjs.Tensor).dataSync())).toEqual(Array.from(table));
    model.dispose();
  });

  it('refuses a sequence longer than its table, saying which length to set', () => {
    const r = inspectGraph(singleLayerGraph([[9, 3]], 'PositionalEmbedding', { sequenceLength: 8 }));
    expect(r.diagnostics.map((d) => d.message)).toContain(
      'PositionalEmbedding holds 8 positions but its input [9, 3] has 9 timesteps; set sequenceLength to at least 9.',
    );
  });

  it('refuses a length that varies per sample (it could outgrow the table at run time)', () => {
    const r = inspectGraph(singleLayerGraph([[-1, 3]], 'PositionalEmbedding', { sequenceLength: 8 }));
    expect(r.diagnostics.map((d) => d.message)).toContain(
      'PositionalEmbedding needs a fixed number of timesteps (its table holds 8 positions), but its input is [?, 3]; give the Input a fixed sequence length.',
    );
  });
});

/** A small encoder block: positions, causal self-attention, residual, normalisation, pooling, head. */
const encoder = (mode: string, causal: boolean): Graph =>
  dag(
    [
      ['x', 'Input', { shape: [8, 3] }],
      ['proj', 'Dense', { units: 6 }],
      ['pos', 'PositionalEmbedding', { sequenceLength: 8, mode }],
      ['mha', 'MultiHeadAttention', { numHeads: 2, keyDim: 4, causal }],
      ['res', 'Add', {}],
      ['norm', 'LayerNormalization', {}],
      ['pool', 'GlobalAveragePooling1D', {}],
      ['head', 'Dense', { units: 1 }],
      ['out', 'Output', { loss: 'meanSquaredError' }],
    ],
    [
      ['x', 'proj'],
      ['proj', 'pos'],
      ['pos', 'mha', 'query'],
      ['pos', 'mha', 'key'],
      ['pos', 'res', 0],
      ['mha', 'res', 1],
      ['res', 'norm'],
      ['norm', 'pool'],
      ['pool', 'head'],
      ['head', 'out'],
    ],
  );

describe('export and reload', () => {
  it.each([
    ['learned', false],
    ['learned', true],
    ['sinusoidal', true],
  ])('an encoder (%s positions, causal %s) exports to ONNX with parity within 1e-5', async (mode, causal) => {
    const check = await exportWithParity(encoder(mode as string, causal as boolean), {
      label: `encoder-${mode}-${causal}`,
    });
    expect(check.problem).toBeUndefined();
    expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-5); // |onnx − tfjs| ≤ 1e-5 everywhere
    expect(check.opTypes).toContain('Softmax');
  });

  it('every MultiHeadAttention case exports with parity within 1e-5 (value port and no bias too)', async () => {
    for (const [inputs, p] of mhaCases) {
      const check = await exportWithParity(singleLayerGraph(inputs, 'MultiHeadAttention', p), {
        label: 'mha',
      });
      expect(check.maxAbsDiff, JSON.stringify(p)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('a saved model with both custom layers reloads and predicts the same', async () => {
    const { model } = compileGraph(tf, encoder('learned', true));
    randomizeWeights(model, 9);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-attention-'));
    await saveLayersModel(tf, model, dir);
    const again = await loadLayersModel(tf, dir);
    const x = tf.tensor(seqData(3, [8, 3], 1));
    const a = (model.predict(x) as tfjs.Tensor).dataSync();
    const b = (again.predict(x) as tfjs.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(again.getLayer('mha').getClassName()).toBe('MultiHeadAttention');
    model.dispose();
    again.dispose();
  });
});

describe('gradients', () => {
  /** d loss / d every weight and the input, on one backend, for fixed weights. */
  async function gradients(backend: 'js' | 'wasm'): Promise<Float32Array[]> {
    const { tf: t } = await selectBackend(backend);
    const { model } = compileGraph(t, encoder('learned', true));
    const fixed = model.weights.map((w, i) =>
      t.tensor(
        Float32Array.from(
          { length: w.shape.reduce((a: number, b) => a * (b as number), 1) },
          (_, j) => Math.sin(j * 0.37 + i) * 0.4,
        ),
        w.shape as number[],
      ),
    );
    model.setWeights(fixed);
    const x = t.tensor(seqData(4, [8, 3], 2));
    const y = t.tensor([[0.3], [-0.2], [0.5], [0.1]]);
    const vars = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
    const { grads } = t.variableGrads(
      () => t.losses.meanSquaredError(y, model.apply(x) as tfjs.Tensor) as tfjs.Scalar,
      vars,
    );
    const out = vars.map((v) => grads[v.name].dataSync() as Float32Array);
    model.dispose();
    return out;
  }

  it('on WebAssembly equal the cpu backend’s for an encoder with causal attention', async () => {
    const cpu = await gradients('js');
    const wasm = await gradients('wasm');
    expect(wasm.length).toBe(cpu.length);
    let worst = 0;
    cpu.forEach((g, i) =>
      g.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - wasm[i][j]) / Math.max(1, Math.abs(v))))),
    );
    expect(worst).toBeLessThan(1e-5);
    expect(cpu.every((g) => g.some((v) => v !== 0))).toBe(true);
    await tf.setBackend('cpu');
  });
});
