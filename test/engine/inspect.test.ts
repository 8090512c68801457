// inspectGraph on raw, unsaved graphs (what the canvas sends on every edit), without tfjs.
import { describe, expect, it } from 'vitest';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { chainGraph, dag } from './graph-helpers.ts';

describe('inspectGraph', () => {
  it('reports a duplicate node id on that node and still infers the rest', () => {
    const graph = chainGraph([4], [['Dense', { units: 3 }]]);
    graph.nodes.push({ id: 'n0', type: 'Dense', params: { units: 9 } });
    const result = inspectGraph(graph);
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        nodeId: 'n0',
        severity: 'error',
        message: expect.stringMatching(/more than one node/),
      }),
    );
    expect(result.nodes.find((n) => n.id === 'n0')!.outputShape).toEqual([null, 3]);
  });

  it('reports edges to and from missing nodes on the node that exists', () => {
    const graph = chainGraph([4], [['Dense', { units: 3 }]]);
    graph.edges.push(
      { id: 'x1', source: 'ghost', target: 'out' },
      { id: 'x2', source: 'n0', target: 'nowhere' },
    );
    const result = inspectGraph(graph);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        nodeId: 'out',
        message: expect.stringMatching(/"ghost", which does not exist/),
      }),
    );
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        nodeId: 'n0',
        message: expect.stringMatching(/"nowhere", which does not exist/),
      }),
    );
  });

  it('accepts a dilated convolution without a warning (it trains: engine/layers/atrous-conv.ts)', () => {
    const result = inspectGraph(
      chainGraph(
        [32, 32, 3],
        [
          ['Conv2D', { filters: 4, kernelSize: 3, dilationRate: 2 }],
          ['Flatten', {}],
          ['Dense', { units: 2, activation: 'softmax' }],
        ],
      ),
    );
    expect(result.valid).toBe(true);
    expect(result.diagnostics).toEqual([]);
  });

  it('warns before Train when a cross-entropy Output is fed something that is not probabilities', () => {
    const linear = inspectGraph(chainGraph([4], [['Dense', { units: 3 }]]));
    expect(linear.valid).toBe(true);
    expect(linear.diagnostics).toEqual([
      {
        nodeId: 'out',
        severity: 'warning',
        message: expect.stringMatching(
          /categoricalCrossentropy expects probabilities, but ".+" ends in linear; set its activation to softmax\./,
        ),
      },
    ]);
    const softmax = inspectGraph(chainGraph([4], [['Dense', { units: 3, activation: 'softmax' }]]));
    expect(softmax.diagnostics).toEqual([]);
  });

  it('a rank mismatch right after an Input also suggests setting the Input shape; hints name only layers that exist', () => {
    const conv = inspectGraph(chainGraph([784], [['Conv2D', { filters: 4, kernelSize: 3 }]]));
    expect(conv.diagnostics.find((d) => d.severity === 'error')?.message).toMatch(
      /add a Reshape to \[28, 28, 1\] before it; or, if your data already is an image \[height, width, channels\], set the shape of Input ".+" to it\./,
    );
    const lstm = inspectGraph(chainGraph([28, 28, 1], [['LSTM', { units: 4 }]]));
    const message = lstm.diagnostics.find((d) => d.severity === 'error')!.message;
    expect(message).toContain('add a Reshape to [28, 28] before it');
    expect(message).not.toMatch(/2D version|LSTM2D/);
    const conv1d = inspectGraph(chainGraph([28, 28, 1], [['Conv1D', { filters: 4, kernelSize: 3 }]]));
    expect(conv1d.diagnostics.find((d) => d.severity === 'error')!.message).toContain(
      'or use Conv2D instead',
    );
  });

  it('explains the fix for common shape mistakes', () => {
    const conv = inspectGraph(
      chainGraph(
        [2, 30],
        [
          ['LSTM', { units: 4 }],
          ['Conv1D', {}],
        ],
      ),
    );
    expect(conv.diagnostics[0]).toMatchObject({
      nodeId: 'n1',
      message: expect.stringMatching(/Reshape to \[4, 1\]/),
    });
    const rnn = inspectGraph(chainGraph([8, 8, 3], [['LSTM', { units: 4 }]]));
    expect(rnn.diagnostics[0]).toMatchObject({
      nodeId: 'n0',
      message: expect.stringMatching(/Reshape to \[8, 24\]/),
    });
    const flat = inspectGraph(chainGraph([10], [['Flatten', {}]]));
    expect(flat.diagnostics[0]).toMatchObject({
      nodeId: 'n0',
      message: expect.stringMatching(/already flat.*remove the Flatten/),
    });
    const axis = inspectGraph(
      dag(
        [
          ['a', 'Input', { shape: [3] }],
          ['b', 'Input', { shape: [3] }],
          ['c', 'Concatenate', { axis: 0 }],
          ['out', 'Output', {}],
        ],
        [
          ['a', 'c', 0],
          ['b', 'c', 1],
          ['c', 'out'],
        ],
      ),
    );
    expect(axis.diagnostics[0]).toMatchObject({ nodeId: 'c', message: expect.stringMatching(/batch axis/) });
  });

  it('a node downstream of an error has no shape and no error of its own', () => {
    const result = inspectGraph(
      chainGraph(
        [784],
        [
          ['Conv2D', {}],
          ['Dense', { units: 2 }],
        ],
      ),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.nodeId)).toEqual(['n0']);
    expect(result.nodes.find((n) => n.id === 'n1')!.outputShape).toBeNull();
  });

  it('refuses sizes that would make the parameter count Infinity or inexact', () => {
    // Found by the property test: a kernel of 1e308 with 'same' padding counted Infinity parameters.
    const huge = inspectGraph(chainGraph([1, 1], [['Conv1D', { kernelSize: 1e308, padding: 'same' }]]));
    expect(huge.valid).toBe(false);
    expect(huge.diagnostics[0]).toMatchObject({
      nodeId: 'n0',
      message: expect.stringMatching(/"kernelSize" must be a positive whole number up to 2,147,483,647/),
    });
    expect(huge.totalParams).toBe(0);

    // Each size within its own bounds, their product past 2^53: refused rather than miscounted.
    const product = inspectGraph(
      chainGraph([1, 2 ** 31 - 1], [['Conv1D', { kernelSize: 2 ** 20, filters: 2 ** 16, padding: 'same' }]]),
    );
    expect(product.valid).toBe(false);
    expect(product.diagnostics).toContainEqual(
      expect.objectContaining({
        nodeId: 'n0',
        message: expect.stringMatching(/more than 9,007,199,254,740,991 parameters/),
      }),
    );
    expect(Number.isSafeInteger(product.totalParams)).toBe(true);
  });
});
