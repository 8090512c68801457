// The package's edges, through the real CLI and python3: refusals in one sentence before anything is
// written, a foreign folder left alone, resume from the latest checkpoint, and import-checkpoint on
// something that is not a package.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { allLayers } from '../../engine/layers/registry.ts';
import { torchPreflight } from '../../engine/pytorch/preflight.ts';
import { torchEmitterFor } from '../../engine/pytorch/registry.ts';
import '../../engine/pytorch/torch-graph.ts';
import { netwright, ROOT } from '../cli/run-cli.ts';
import { metricsLines, runPython } from './harness.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nw-torch-cli-'));
const iris = path.join(ROOT, 'resources/examples/iris-mlp.netwright.json');

describe('pre-flight', () => {
  it('every layer type in the registry has a PyTorch emitter', () => {
    expect(
      allLayers().filter((l) => !['Input', 'Output'].includes(l.type) && !torchEmitterFor(l.type)),
    ).toEqual([]);
  });

  it('a layer type without an emitter is named in one sentence', () => {
    const inspection = inspectGraph({
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [4] } },
        { id: 'd', type: 'Dense', params: { units: 2 } },
        { id: 'y', type: 'Output', params: { loss: 'meanSquaredError' } },
      ],
      edges: [
        { id: 'a', source: 'x', target: 'd' },
        { id: 'b', source: 'd', target: 'y' },
      ],
    });
    // The same graph as a newer layer kind would reach the exporter: valid, but of a type it does not know.
    const withNewKind = {
      ...inspection,
      nodes: inspection.nodes.map((n) => (n.id === 'd' ? { ...n, type: 'Capsule' } : n)),
    };
    expect(torchPreflight(withNewKind)).toEqual([
      {
        nodeId: 'd',
        message: 'Node "d" is a Capsule layer, which has no PyTorch equivalent in this exporter.',
      },
    ]);
  });

  it('a graph with two Outputs is refused with exit 1 and nothing is written', async () => {
    const project = JSON.parse(readFileSync(iris, 'utf8'));
    project.graph.nodes.push({ id: 'out2', type: 'Output', params: { loss: 'meanSquaredError' } });
    project.graph.edges.push({ id: 'e9', source: 'd1', target: 'out2' });
    const file = path.join(tmp, 'two-outputs.netwright.json');
    writeFileSync(file, JSON.stringify(project));
    const dir = path.join(tmp, 'never-written');
    const r = await netwright('export', file, '--pytorch', dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'netwright: train.py trains exactly one Output, as Netwright does; this graph has 2.',
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('a folder holding other files is left alone', async () => {
    const dir = path.join(tmp, 'busy');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = await netwright('export', iris, '--pytorch', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('busy holds other files; choose a new or empty folder');
    expect(r.stderr).not.toContain(tmp);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

describe('train.py', () => {
  it('resumes from the latest checkpoint and continues the epoch count', async () => {
    const pkg = path.join(tmp, 'resume');
    expect((await netwright('export', iris, '--pytorch', pkg)).code).toBe(0);
    const first = await runPython(pkg, ['train.py', '--nproc-per-node', '1', '--epochs', '2']);
    expect(first.code, first.output).toBe(0);
    expect(readFileSync(path.join(pkg, 'output/checkpoints/latest'), 'utf8')).toBe('epoch-0002');
    const second = await runPython(pkg, ['train.py', '--nproc-per-node', '1', '--epochs', '3', '--resume']);
    expect(second.code, second.output).toBe(0);
    const epochs = metricsLines(pkg)
      .filter((l) => 'epoch' in l)
      .map((l) => l.epoch);
    expect(epochs).toEqual([1, 2, 3]);
    expect(readdirSync(path.join(pkg, 'output/checkpoints')).sort()).toEqual(['epoch-0003', 'latest']);
  }, 120_000);
});

describe('frozen layers', () => {
  it('a node with trainable: false keeps its weights through train.py; the others change', async () => {
    const project = JSON.parse(readFileSync(iris, 'utf8'));
    project.graph.nodes.find((n: { id: string }) => n.id === 'd1').trainable = false;
    const file = path.join(tmp, 'frozen.netwright.json');
    writeFileSync(file, JSON.stringify(project));
    const pkg = path.join(tmp, 'frozen');
    expect((await netwright('export', file, '--pytorch', pkg)).code).toBe(0);
    const r = await runPython(pkg, ['train.py', '--nproc-per-node', '1', '--epochs', '2']);
    expect(r.code, r.output).toBe(0);
    const same = (key: string) =>
      readFileSync(path.join(pkg, 'weights', `${key}.npy`)).equals(
        readFileSync(path.join(pkg, 'output/final/weights', `${key}.npy`)),
      );
    expect([same('d1.weight'), same('d1.bias'), same('d2.weight'), same('d2.bias')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  }, 120_000);
});

describe('recurrent wrappers', () => {
  it('a GRU, a Bidirectional GRU and a TimeDistributed Dense train under train.py: every weight changes', async () => {
    const project = JSON.parse(
      readFileSync(path.join(ROOT, 'resources/examples/sp500-lstm.netwright.json'), 'utf8'),
    );
    const chain: [string, string, Record<string, unknown>][] = [
      ['in', 'Input', { shape: [30, 1] }],
      ['td', 'TimeDistributed', { units: 4, activation: 'tanh' }],
      ['bi', 'Bidirectional', { layer: 'GRU', units: 4, returnSequences: true, mergeMode: 'concat' }],
      ['gru', 'GRU', { units: 4 }],
      ['next', 'Dense', { units: 1 }],
      ['out', 'Output', { loss: 'meanSquaredError' }],
    ];
    project.graph = {
      nodes: chain.map(([id, type, params]) => ({ id, type, params })),
      edges: chain.slice(1).map(([id], i) => ({ id: `e${i}`, source: chain[i][0], target: id })),
    };
    const file = path.join(tmp, 'wrappers.netwright.json');
    writeFileSync(file, JSON.stringify(project));
    const pkg = path.join(tmp, 'wrappers');
    const exported = await netwright('export', file, '--pytorch', pkg);
    expect(exported.code, exported.stderr).toBe(0);
    const modelPy = readFileSync(path.join(pkg, 'model.py'), 'utf8');
    expect(modelPy).toContain('class TfGRU(nn.Module)');
    expect(modelPy).toContain('def merge_directions(');
    const r = await runPython(pkg, ['train.py', '--nproc-per-node', '1', '--epochs', '1']);
    expect(r.code, r.output).toBe(0);
    const keys = readdirSync(path.join(pkg, 'weights')).map((f) => f.replace(/\.npy$/, ''));
    expect(keys.filter((k) => k.startsWith('bi_'))).toHaveLength(6);
    const changed = (key: string) =>
      !readFileSync(path.join(pkg, 'weights', `${key}.npy`)).equals(
        readFileSync(path.join(pkg, 'output/final/weights', `${key}.npy`)),
      );
    expect(keys.filter((k) => !changed(k))).toEqual([]);
  }, 180_000);
});

describe('import-checkpoint', () => {
  it('refuses a folder that is not a package with exit 2 and one sentence', async () => {
    const dir = path.join(tmp, 'not-a-package');
    mkdirSync(dir);
    const r = await netwright('import-checkpoint', dir, '--out', path.join(tmp, 'run'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'netwright: not-a-package is not a PyTorch package exported by Netwright (its netwright/project.netwright.json is missing or invalid).',
    );
  });

  it('refuses a package that has not been trained yet with exit 2', async () => {
    const pkg = path.join(tmp, 'untrained');
    expect((await netwright('export', iris, '--pytorch', pkg)).code).toBe(0);
    const r = await netwright('import-checkpoint', pkg, '--out', path.join(tmp, 'run2'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('untrained has no trained weights yet');
  });
});
