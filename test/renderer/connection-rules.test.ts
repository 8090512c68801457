// Drop-time connection refusal (issue 5, canvas): the sentence the canvas shows when an edge is refused.
// Runs the real connectionProblem() against the real layer registry and shape inference.
import { describe, expect, it } from 'vitest';
import { connectionProblem } from '../../renderer/src/state/connection-rules.ts';
import { dag } from '../engine/graph-helpers.ts';

describe('connectionProblem', () => {
  it('refuses a cycle into a multi-input node with a cycle sentence', () => {
    // in → d1 → add ← d2 ← in ; add → d3. Connecting d3 → add's upstream would loop.
    const graph = dag(
      [
        ['in', 'Input', { shape: [4] }],
        ['d1', 'Dense', { units: 8 }],
        ['d2', 'Dense', { units: 8 }],
        ['add', 'Add', {}],
        ['d3', 'Dense', { units: 8 }],
      ],
      [
        ['in', 'd1'],
        ['in', 'd2'],
        ['d1', 'add', 0],
        ['d2', 'add', 1],
        ['add', 'd3'],
      ],
    );
    // Add takes any number of inputs, so only the cycle can refuse d3 → add.
    const problem = connectionProblem(graph, 'd3', 'add');
    expect(problem).toMatch(/cycle/i);
    expect(problem).toContain('"d3"');
    expect(problem).not.toMatch(/single input/i);
  });

  it('refuses a cycle through a Concatenate further upstream', () => {
    const graph = dag(
      [
        ['in', 'Input', { shape: [4] }],
        ['a', 'Dense', { units: 4 }],
        ['b', 'Dense', { units: 4 }],
        ['cat', 'Concatenate', { axis: -1 }],
        ['c', 'Dense', { units: 4 }],
        ['d', 'Dense', { units: 4 }],
      ],
      [
        ['in', 'a'],
        ['in', 'b'],
        ['a', 'cat', 0],
        ['b', 'cat', 1],
        ['cat', 'c'],
        ['c', 'd'],
      ],
    );
    expect(connectionProblem(graph, 'd', 'cat')).toMatch(/would make a cycle/);
  });

  it('refuses a second edge into a single-input port, naming the edge already there', () => {
    const graph = dag(
      [
        ['in', 'Input', { shape: [4] }],
        ['d1', 'Dense', { units: 8 }],
        ['d2', 'Dense', { units: 8 }],
      ],
      [
        ['in', 'd1'],
        ['in', 'd2'],
      ],
    );
    const problem = connectionProblem(graph, 'd1', 'd2');
    expect(problem).toMatch(/single input/);
    expect(problem).toContain('"in"');
  });

  it('refuses an incompatible rank with a sentence saying what rank is expected', () => {
    const graph = dag(
      [
        ['in', 'Input', { shape: [4] }],
        ['dense', 'Dense', { units: 8 }],
        ['conv', 'Conv2D', { filters: 4, kernelSize: 3 }],
      ],
      [['in', 'dense']],
    );
    const problem = connectionProblem(graph, 'dense', 'conv');
    expect(problem).toMatch(/Conv2D expects/);
    expect(problem).toMatch(/rank 3/);
    expect(problem).toContain('[8]');
  });

  it('lets a valid connection through', () => {
    const graph = dag(
      [
        ['in', 'Input', { shape: [28, 28, 1] }],
        ['conv', 'Conv2D', { filters: 4, kernelSize: 3 }],
        ['flat', 'Flatten', {}],
        ['dense', 'Dense', { units: 8 }],
      ],
      [
        ['in', 'conv'],
        ['conv', 'flat'],
      ],
    );
    expect(connectionProblem(graph, 'in', 'conv')).toMatch(/already connected/);
    expect(connectionProblem(graph, 'flat', 'dense')).toBeNull();
  });
});
