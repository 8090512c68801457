// Recurrent layers, merges and multi-branch graphs, exported with parity and checked.
import { describe, expect, it } from 'vitest';
import { chain, dag, exportWithParity, onnxCheckerErrors, exportedFiles, type LayerDef } from './harness.ts';
import type { Graph } from '../../engine/project/schema.ts';

const TOL = 1e-4;

async function expectGraphParity(graph: Graph, label: string, opset?: number) {
  const r = await exportWithParity(graph, { label, opset });
  expect(r.maxAbsDiff, `${label}: max abs diff`).toBeLessThanOrEqual(TOL);
  expect(r.passed, label).toBe(true);
  return r;
}
const expectParity = (shape: number[], layers: LayerDef[], label: string, opset?: number) =>
  expectGraphParity(chain(shape, ...layers), label, opset);

describe('ONNX export: recurrent layers', () => {
  const kinds = ['SimpleRNN', 'LSTM', 'GRU'];
  const cases = kinds.flatMap((kind) =>
    [
      { units: 4, returnSequences: false, activation: 'tanh' },
      { units: 3, returnSequences: true, activation: 'tanh' },
      { units: 5, returnSequences: false, activation: 'relu' },
      { units: 2, returnSequences: true, activation: 'linear' },
    ].map((p) => [kind, JSON.stringify(p), p] as const),
  );
  it.each(cases)('%s %s', async (kind, _, p) => {
    const r = await expectParity([6, 3], [[kind, p]], `${kind}-${JSON.stringify(p)}`);
    expect(r.opTypes).toContain(kind === 'SimpleRNN' ? 'RNN' : kind);
  });

  it.each(kinds.map((k) => [k]))(
    'stacked %s layers hand over time-major sequences without transposes',
    async (kind) => {
      const r = await expectParity(
        [5, 2],
        [
          [kind, { units: 4, returnSequences: true }],
          [kind, { units: 3, returnSequences: true }],
          [kind, { units: 3 }],
          ['Dense', { units: 1 }],
        ],
        `stacked-${kind}`,
      );
      expect(r.opTypes.filter((t) => t === 'Transpose')).toHaveLength(1);
    },
  );

  it('an LSTM over a Conv1D and a Dense over the returned sequence', async () => {
    await expectParity(
      [10, 2],
      [
        ['Conv1D', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }],
        ['MaxPooling1D', { poolSize: 2 }],
        ['LSTM', { units: 5, returnSequences: true }],
        ['Dense', { units: 2 }],
      ],
      'conv-lstm',
    );
  });

  it('exports at opset 13 and 21 as well', async () => {
    await expectParity(
      [4, 3],
      [
        ['GRU', { units: 3 }],
        ['Dense', { units: 2 }],
      ],
      'gru-opset13',
      13,
    );
    await expectParity(
      [4, 3],
      [['LSTM', { units: 3 }], ['LayerNormalization'], ['Dense', { units: 2 }]],
      'lstm-opset21',
      21,
    );
  });
});

describe('ONNX export: layouts flowing through sequences', () => {
  it('time-major RNN outputs feed BatchNorm, softmax, Concatenate and global pooling', async () => {
    await expectGraphParity(
      dag([6, 3], {
        l: ['LSTM', { units: 4, returnSequences: true }, ['x']],
        g: ['GRU', { units: 2, returnSequences: true }, ['x']],
        bn: ['BatchNormalization', {}, ['l']],
        sm: ['Activation', { activation: 'softmax' }, ['bn']],
        cat: ['Concatenate', { axis: -1 }, ['sm', 'g']],
        cat2: ['Concatenate', { axis: 1 }, ['cat', 'cat']],
        gap: ['GlobalMaxPooling1D', {}, ['cat2']],
        d: ['Dense', { units: 2 }, ['gap']],
        y: ['Output', { loss: 'meanSquaredError' }, ['d']],
      }),
      'sequence-layouts',
    );
  });

  it('a sequence of varying length (Input -1): symbolic dims, SAME_UPPER padding', async () => {
    const r = await expectParity(
      [-1, 3],
      [
        ['Conv1D', { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }],
        ['LSTM', { units: 3 }],
        ['Dense', { units: 1 }],
      ],
      'varying-length',
    );
    const { onnx } = await import('../../engine/onnx/proto.ts');
    const dims = onnx.ModelProto.decode(r.bytes).graph!.input![0].type!.tensorType!.shape!.dim!;
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 'x_1', 3]);
  });

  it('an Input wired straight to an Output is the identity', async () => {
    await expectParity([2, 3], [], 'identity');
  });
});

describe('ONNX export: merges and multi-branch graphs', () => {
  it.each([['Add'], ['Multiply'], ['Average']])('%s of three branches', async (type) => {
    await expectGraphParity(
      dag([6], {
        a: ['Dense', { units: 4, activation: 'relu' }, ['x']],
        b: ['Dense', { units: 4 }, ['x']],
        c: ['Dense', { units: 4, activation: 'sigmoid' }, ['x']],
        m: [type, {}, ['a', 'b', 'c']],
        y: ['Output', { loss: 'meanSquaredError' }, ['m']],
      }),
      `merge-${type}`,
    );
  });

  it.each([['Multiply'], ['Average']])('%s of three rank-3 branches in different layouts', async (type) => {
    // x stays batch-major, the LSTM output is time-major, the Dense acts on the last axis.
    await expectGraphParity(
      dag([5, 3], {
        l: ['LSTM', { units: 3, returnSequences: true }, ['x']],
        d: ['Dense', { units: 3, activation: 'tanh' }, ['x']],
        m: [type, {}, ['x', 'l', 'd']],
        f: ['Flatten', {}, ['m']],
        y: ['Output', { loss: 'meanSquaredError' }, ['f']],
      }),
      `merge-${type}-rank3`,
    );
  });

  it.each([['Multiply'], ['Average']])(
    '%s of three rank-4 branches: the input and two convs',
    async (type) => {
      // The convs are stored channels-first, the input NHWC: the merge must meet them in one layout.
      await expectGraphParity(
        dag([6, 5, 2], {
          c1: ['Conv2D', { filters: 2, kernelSize: 3, padding: 'same' }, ['x']],
          c2: ['Conv2D', { filters: 2, kernelSize: 1, activation: 'sigmoid' }, ['x']],
          m: [type, {}, ['c1', 'x', 'c2']],
          p: ['MaxPooling2D', { poolSize: 2 }, ['m']],
          f: ['Flatten', {}, ['p']],
          y: ['Output', { loss: 'meanSquaredError' }, ['f']],
        }),
        `merge-${type}-rank4`,
      );
    },
  );

  it.each([[-1], [1], [2], [3], [-2]])(
    'Inception-style Concatenate of conv branches on axis %i',
    async (axis) => {
      const r = await expectGraphParity(
        dag([8, 8, 3], {
          b1: ['Conv2D', { filters: 2, kernelSize: 1, padding: 'same' }, ['x']],
          b3: ['Conv2D', { filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }, ['x']],
          bp: ['MaxPooling2D', { poolSize: 3, strides: 1, padding: 'same' }, ['x']],
          bq: ['Conv2D', { filters: 2, kernelSize: 1 }, ['bp']],
          cat: ['Concatenate', { axis }, ['b1', 'b3', 'bq']],
          gap: ['GlobalAveragePooling2D', {}, ['cat']],
          d: ['Dense', { units: 3, activation: 'softmax' }, ['gap']],
          y: ['Output', { loss: 'categoricalCrossentropy' }, ['d']],
        }),
        `inception-axis${axis}`,
      );
      // Only the shared input is transposed (once, cached); the branches meet in NCHW.
      expect(r.opTypes.filter((t) => t === 'Transpose')).toHaveLength(1);
    },
  );

  it('a residual block: conv → BN → relu → conv, added to its input', async () => {
    await expectGraphParity(
      dag([6, 6, 4], {
        c1: ['Conv2D', { filters: 4, kernelSize: 3, padding: 'same', useBias: false }, ['x']],
        bn: ['BatchNormalization', {}, ['c1']],
        r: ['Activation', { activation: 'relu' }, ['bn']],
        c2: ['Conv2D', { filters: 4, kernelSize: 3, padding: 'same' }, ['r']],
        add: ['Add', {}, ['c2', 'x']],
        out: ['Activation', { activation: 'relu' }, ['add']],
        f: ['Flatten', {}, ['out']],
        d: ['Dense', { units: 2 }, ['f']],
        y: ['Output', { loss: 'meanSquaredError' }, ['d']],
      }),
      'residual',
    );
  });

  it('two inputs and two outputs keep their node ids as names', async () => {
    const graph: Graph = {
      nodes: [
        { id: 'img', type: 'Input', params: { shape: [5, 5, 1] } },
        { id: 'meta', type: 'Input', params: { shape: [3] } },
        { id: 'c', type: 'Conv2D', params: { filters: 2, kernelSize: 3 } },
        { id: 'f', type: 'Flatten', params: {} },
        { id: 'cat', type: 'Concatenate', params: {} },
        { id: 'cls', type: 'Dense', params: { units: 3, activation: 'softmax' } },
        { id: 'reg', type: 'Dense', params: { units: 1 } },
        { id: 'label', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
        { id: 'value', type: 'Output', params: { loss: 'meanSquaredError' } },
      ],
      edges: [
        { id: 'e1', source: 'img', target: 'c' },
        { id: 'e2', source: 'c', target: 'f' },
        { id: 'e3', source: 'f', target: 'cat', port: 'in0' },
        { id: 'e4', source: 'meta', target: 'cat', port: 'in1' },
        { id: 'e5', source: 'cat', target: 'cls' },
        { id: 'e6', source: 'cat', target: 'reg' },
        { id: 'e7', source: 'cls', target: 'label' },
        { id: 'e8', source: 'reg', target: 'value' },
      ],
    };
    const r = await expectGraphParity(graph, 'multi-io');
    const { onnx } = await import('../../engine/onnx/proto.ts');
    const g = onnx.ModelProto.decode(r.bytes).graph!;
    expect(g.input!.map((i) => i.name)).toEqual(['img', 'meta']);
    expect(g.output!.map((o) => o.name)).toEqual(['label', 'value']);
    expect(g.input![0].type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual([
      'batch',
      5,
      5,
      1,
    ]);
  });
});

it('every exported file passes onnx.checker.check_model(full_check=True)', () => {
  const files = exportedFiles();
  expect(files.length).toBeGreaterThan(20);
  expect(onnxCheckerErrors(files)).toEqual({});
});
