// Layer kinds with an ONNX op of their own survive Netwright's ONNX export → import: each comes back
// as the same kind with the same settings (ONNX stores floats as float32), the graph has no node the
// project did not have, and the imported graph, weights included, computes what the ONNX file computes.
import { describe, expect, it } from 'vitest';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { importOnnx } from '../../engine/import/onnx/import-onnx.ts';
import { verifyOnnxImport } from '../../engine/import/verify-onnx.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { chain, dag, exportWithParity, tf, type LayerDef } from '../onnx/harness.ts';

type Case = [label: string, graph: Graph, node: string, expected: [string, Record<string, unknown>]];

/** Input → layers → Output; the last layer is the one under test. */
const last = (label: string, input: number[], layers: LayerDef[], params: Record<string, unknown>): Case => [
  label,
  chain(input, ...layers),
  `n${layers.length}`,
  [layers[layers.length - 1][0], params],
];

/** Two Dense branches of one Input into a merge `m`. */
const merge = (type: string): Case => [
  `${type} of two branches`,
  dag([6], {
    a: ['Dense', { units: 4 }, ['x']],
    b: ['Dense', { units: 4 }, ['x']],
    m: [type, {}, ['a', 'b']],
    y: ['Output', { loss: 'meanSquaredError' }, ['m']],
  }),
  'm',
  [type, {}],
];

const CASES: Case[] = [
  last('LeakyRelu', [6], [['LeakyReLU', { alpha: 0.1 }]], { alpha: 0.1 }),
  last('Elu with alpha 0.5', [6], [['ELU', { alpha: 0.5 }]], { alpha: 0.5 }),
  last('Clip from 0 (relu6)', [6], [['ReLU', { maxValue: 6 }]], { maxValue: 6 }),
  last('Softmax over axis 1', [3, 4], [['Softmax', { axis: 1 }]], { axis: 1 }),
  last('PRelu, a slope per value', [4, 3], [['PReLU', {}]], { sharedAxes: null }),
  last(
    'PRelu, one slope per channel after a Conv2D',
    [5, 5, 2],
    [
      ['Conv2D', { filters: 3, kernelSize: 3 }],
      ['PReLU', { sharedAxes: [1, 2] }],
    ],
    { sharedAxes: [1, 2] },
  ),
  last('MaxPool 3-D', [5, 5, 5, 2], [['MaxPooling3D', { padding: 'same' }]], {
    poolSize: 2,
    padding: 'same',
  }),
  last('AveragePool 3-D', [4, 4, 4, 2], [['AveragePooling3D', {}]], { poolSize: 2 }),
  last(
    'GlobalMaxPool after a Conv3D',
    [4, 4, 4, 2],
    [
      ['Conv3D', { filters: 3, kernelSize: 2 }],
      ['GlobalMaxPooling3D', {}],
    ],
    {},
  ),
  last('ConvTranspose, valid', [4, 4, 3], [['Conv2DTranspose', { filters: 2, kernelSize: 3, strides: 2 }]], {
    filters: 2,
    kernelSize: 3,
    strides: 2,
    padding: 'valid',
  }),
  last(
    'ConvTranspose, same, odd padding and output_padding (kernel shorter than the stride), relu fused',
    [5, 4, 2],
    [
      [
        'Conv2DTranspose',
        { filters: 3, kernelSize: [4, 2], strides: [3, 3], padding: 'same', activation: 'relu' },
      ],
    ],
    { kernelSize: [4, 2], strides: 3, padding: 'same', activation: 'relu' },
  ),
  last(
    'Conv with one group per channel (depthwise), same, multiplier 2',
    [6, 5, 3],
    [['DepthwiseConv2D', { kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 }]],
    { kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, useBias: true },
  ),
  last(
    'depthwise Conv + 1×1 Conv (separable), strides 2, tanh fused',
    [7, 6, 2],
    [
      [
        'SeparableConv2D',
        { filters: 3, kernelSize: [3, 2], strides: 2, depthMultiplier: 2, activation: 'tanh' },
      ],
    ],
    { filters: 3, kernelSize: [3, 2], strides: 2, depthMultiplier: 2, activation: 'tanh', useBias: true },
  ),
  last('Resize nearest, a sequence', [5, 2], [['UpSampling1D', { size: 3 }]], { size: 3 }),
  last(
    'Resize nearest after a Conv2D',
    [5, 4, 1],
    [
      ['Conv2D', { filters: 2, kernelSize: 2 }],
      ['UpSampling2D', { size: [2, 3] }],
    ],
    { size: [2, 3], interpolation: 'nearest' },
  ),
  last('Resize linear (bilinear)', [3, 4, 2], [['UpSampling2D', { interpolation: 'bilinear' }]], {
    size: 2,
    interpolation: 'bilinear',
  }),
  last(
    'zero padding (Concat with zeros), rows and columns',
    [4, 5, 2],
    [['ZeroPadding2D', { padding: [1, 2] }]],
    {
      padding: [1, 2],
    },
  ),
  last(
    'zero padding, rows only, after a Conv2D',
    [4, 5, 2],
    [
      ['Conv2D', { filters: 2, kernelSize: 2 }],
      ['ZeroPadding2D', { padding: [2, 0] }],
    ],
    { padding: [2, 0] },
  ),
  last('zero padding of a sequence, start and end', [6, 2], [['ZeroPadding1D', { padding: [1, 3] }]], {
    padding: [1, 3],
  }),
  last('Slice: cropping rows only', [6, 5, 2], [['Cropping2D', { cropping: [1, 0] }]], { cropping: [1, 0] }),
  last(
    'Slice: cropping rows and columns after a Conv2D',
    [7, 7, 1],
    [
      ['Conv2D', { filters: 2, kernelSize: 2 }],
      ['Cropping2D', { cropping: 1 }],
    ],
    { cropping: 1 },
  ),
  last('Slice: cropping a sequence', [8, 2], [['Cropping1D', { cropping: [2, 1] }]], { cropping: [2, 1] }),
  merge('Subtract'),
  merge('Maximum'),
  merge('Minimum'),
  ...(
    [
      ['LSTM', { units: 3, returnSequences: true, mergeMode: 'concat' }],
      ['GRU', { units: 2, mergeMode: 'sum' }],
      ['GRU', { units: 3, returnSequences: true, mergeMode: 'mul', activation: 'relu' }],
      ['SimpleRNN', { units: 2, mergeMode: 'ave' }],
    ] as const
  ).map(([layer, params]) =>
    last(`bidirectional ${layer} ${params.mergeMode}`, [5, 3], [['Bidirectional', { layer, ...params }]], {
      layer,
      ...params,
    }),
  ),
];

describe('layer kinds with an ONNX op of their own: export → import', () => {
  it.each(CASES)('%s', async (label, graph, id, [type, params]) => {
    const exported = await exportWithParity(graph, { label });
    expect(exported.passed).toBe(true);
    const imported = importOnnx(exported.bytes, 'layer');
    const node = inspectGraph(imported.graph).nodes.find((n) => n.id === id);
    expect(imported.graph.nodes.map((n) => n.type)).toEqual(graph.nodes.map((n) => n.type));
    expect(node?.type).toBe(type);
    for (const [name, value] of Object.entries(params)) {
      const back = node!.params[name];
      if (typeof value === 'number') expect(back as number).toBeCloseTo(value, 6);
      else expect(back).toEqual(value);
    }
    const parity = await verifyOnnxImport(tf, imported, exported.bytes);
    expect(parity.passed).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
  });
});
