// Sizes tfjs can't hold and parameter values the checks refuse: inspectGraph reports them on the node
// they belong to, and `inspect --json` shows the params the user wrote, not the defaults used instead.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { netwright } from '../cli/run-cli.ts';
import { chainGraph } from './graph-helpers.ts';

const MAX = 2 ** 31 - 1;

describe('per-sample tensor size limit (tfjs indexes int32)', () => {
  it('refuses an Input of [2147483647, 4] on the Input, naming the size and the fix', () => {
    const r = inspectGraph(
      chainGraph(
        [MAX, 4],
        [
          ['Flatten', {}],
          ['Dense', { units: 2, activation: 'softmax' }],
        ],
      ),
    );
    expect(r.valid).toBe(false);
    expect(r.diagnostics).toEqual([
      {
        nodeId: 'in',
        severity: 'error',
        message:
          'Input "in" gives [2147483647, 4] per sample, 8,589,934,588 values; tfjs indexes tensors with 32-bit integers, so one sample may hold at most 2,147,483,647 values. Make this shape smaller.',
      },
    ]);
    // Nothing downstream claims a shape it can't have.
    expect(r.nodes.find((n) => n.id === 'n0')!.outputShape).toBeNull();
  });

  it('refuses a layer whose own output grows past the limit, on that layer', () => {
    // [65536, 1] is fine; Dense(65536) makes each sample 65536 × 65536 = 2^32 values.
    const r = inspectGraph(chainGraph([65536, 1], [['Dense', { units: 65536 }]], 'meanSquaredError'));
    expect(r.valid).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        nodeId: 'n0',
        message: expect.stringMatching(
          /^Dense "n0" gives \[65536, 65536\] per sample, 4,294,967,296 values; .* at most 2,147,483,647 values\. Make this layer's sizes or its input's shape smaller\.$/,
        ),
      }),
    ]);
    expect(r.nodes.find((n) => n.id === 'in')!.outputShape).toEqual([null, 65536, 1]);
  });

  it('accepts exactly 2^31 − 1 values per sample', () => {
    const r = inspectGraph(chainGraph([MAX, 1], [['Flatten', {}]], 'meanSquaredError'));
    expect(r.diagnostics).toEqual([]);
    expect(r.nodes.find((n) => n.id === 'n0')!.outputShape).toEqual([null, MAX]);
  });
});

describe('params of a node with a refused value', () => {
  it('inspectGraph shows the value as written, with defaults for params not given', () => {
    const r = inspectGraph(
      chainGraph(
        [10, 3],
        [
          ['Conv1D', { filters: 2, kernelSize: 1e308 }],
          ['Flatten', {}],
        ],
        'meanSquaredError',
      ),
    );
    expect(r.valid).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        nodeId: 'n0',
        message: expect.stringMatching(/"kernelSize" .* \(it is 1e\+308\)/),
      }),
    ]);
    const conv = r.nodes.find((n) => n.id === 'n0')!;
    expect(conv.params).toMatchObject({ filters: 2, kernelSize: 1e308, strides: 1, padding: 'valid' });
  });

  it('a valid node still lists its defaults filled in', () => {
    const r = inspectGraph(
      chainGraph(
        [10, 3],
        [
          ['Conv1D', { filters: 2 }],
          ['Flatten', {}],
        ],
        'meanSquaredError',
      ),
    );
    expect(r.valid).toBe(true);
    expect(r.nodes.find((n) => n.id === 'n0')!.params).toMatchObject({ filters: 2, kernelSize: 3 });
  });

  it('netwright inspect --json reports kernelSize 1e308 as written (exit 1)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-limits-'));
    try {
      const file = path.join(dir, 'p.netwright.json');
      const graph = chainGraph(
        [10, 3],
        [
          ['Conv1D', { filters: 2, kernelSize: 1e308 }],
          ['Dense', { units: -4 }],
        ],
        'meanSquaredError',
      );
      await writeFile(file, JSON.stringify({ format: 'netwright', version: 1, name: 'limits', graph }));
      const r = await netwright('inspect', file, '--json');
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as { nodes: { id: string; params: Record<string, unknown> }[] };
      const params = Object.fromEntries(out.nodes.map((n) => [n.id, n.params]));
      expect(params.n0.kernelSize).toBe(1e308);
      expect(params.n1.units).toBe(-4);
      expect(params.n1.activation).toBe('linear');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
