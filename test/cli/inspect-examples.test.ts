// Every shipped example passes `netwright inspect` (real CLI, child process), and --json follows the CLI contract (docs/ARCHITECTURE.md, "CLI").
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { projectFromText } from '../../engine/project/load.ts';
import { netwright, ROOT, type CliRun } from './run-cli.ts';

const EXAMPLES = path.join(ROOT, 'resources/examples');
const FILES = readdirSync(EXAMPLES).filter((f) => f.endsWith('.netwright.json'));

const inspect = (file: string, json: boolean): Promise<CliRun> =>
  netwright('inspect', file, ...(json ? ['--json'] : []));

interface JsonNode {
  id: string;
  type: string;
  outputShape: (number | null)[] | null;
  params: Record<string, unknown>;
  paramCount: number;
}

describe('example projects', () => {
  it('include an Iris MLP, an MNIST CNN and a time-series LSTM', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'iris-mlp.netwright.json',
        'mnist-cnn.netwright.json',
        'sp500-lstm.netwright.json',
      ]),
    );
  });

  it.concurrent.each(FILES)('%s passes netwright inspect --json with no errors', async (file) => {
    const run = await inspect(path.join(EXAMPLES, file), true);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.valid).toBe(true);
    expect(out.diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    expect(out.totalParams).toBeGreaterThan(0);
  });

  it.each(FILES)(
    '%s compiles with tfjs to the inferred parameter count, has gallery text and a top-to-bottom layout',
    (file) => {
      const text = readFileSync(path.join(EXAMPLES, file), 'utf8');
      const raw = JSON.parse(text);
      expect(typeof raw.description).toBe('string');
      expect(raw.description.length).toBeGreaterThan(20);
      expect(typeof raw.scenario).toBe('string');
      const loaded = projectFromText(text);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      const { graph } = loaded.project;
      const y = new Map(graph.nodes.map((n) => [n.id, n.position?.y]));
      for (const e of graph.edges)
        expect(y.get(e.target)!, `${e.source} → ${e.target}`).toBeGreaterThan(y.get(e.source)!);
      const compiled = compileGraph(tf, graph);
      expect(compiled.model.countParams()).toBe(compiled.inspection.totalParams);
      compiled.model.dispose();
    },
  );

  it('--json for the MNIST CNN follows the CLI contract (null batch dim, params with defaults, totalParams, diagnostics)', async () => {
    const run = await inspect(path.join(EXAMPLES, 'mnist-cnn.netwright.json'), true);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      valid: boolean;
      diagnostics: unknown[];
      nodes: JsonNode[];
      totalParams: number;
    };
    expect(out.totalParams).toBe(225_034);
    expect(out.diagnostics).toEqual([]);
    const byId = new Map(out.nodes.map((n) => [n.id, n]));
    expect(byId.get('in')!.outputShape).toEqual([null, 28, 28, 1]);
    expect(byId.get('conv1')).toMatchObject({
      type: 'Conv2D',
      outputShape: [null, 26, 26, 32],
      paramCount: 320,
    });
    expect(byId.get('conv1')!.params).toMatchObject({
      filters: 32,
      kernelSize: 3,
      strides: 1,
      padding: 'valid',
      activation: 'relu',
    });
    expect(byId.get('flat')!.outputShape).toEqual([null, 1600]);
    expect(byId.get('out')!.outputShape).toEqual([null, 10]);
  });

  it('the human-readable report shows shapes and the parameter total', async () => {
    const run = await inspect(path.join(EXAMPLES, 'sp500-lstm.netwright.json'), false);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/lstm\s+LSTM\s+\[\?, 32\]\s+4,352 params/);
    expect(run.stdout).toMatch(/Total parameters: 4,385/);
  });
});
