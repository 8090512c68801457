// Blocks in the project file (format v3, nested since v4; docs/ARCHITECTURE.md "Blocks"): a v1 or v3
// file migrates, bad membership and overlapping blocks are named with their JSON path, and grouping
// (nested blocks too) changes nothing the engine computes: the same inspection, the same ONNX bytes,
// the same PyTorch model.py and the same trained metrics.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { projectFromJson, projectFromText, projectToText } from '../../engine/project/load.ts';
import { CURRENT_VERSION, type Project } from '../../engine/project/schema.ts';
import { exportModel } from '../../engine/export/export-model.ts';
import { exportTorchPackage } from '../../engine/pytorch/package.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { netwright } from '../cli/run-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-blocks-'));
const irisV1 = JSON.parse(readFileSync('resources/examples/iris-mlp.netwright.json', 'utf8'));

function load(doc: unknown): Project {
  const result = projectFromJson(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.project;
}

const layerIds = (doc: { graph: { nodes: { id: string; type: string }[] } }) =>
  doc.graph.nodes.filter((n) => n.type !== 'Input' && n.type !== 'Output').map((n) => n.id);

/** The iris example with its hidden layers grouped into a collapsed block, its first layer in a block nested in that one. */
function grouped(): Project {
  return load({
    ...irisV1,
    version: CURRENT_VERSION,
    blocks: [
      { id: 'b1', name: 'Classifier', nodes: layerIds(irisV1), collapsed: true, position: { x: 0, y: 100 } },
      { id: 'b2', name: 'Features', nodes: layerIds(irisV1).slice(0, 1), collapsed: true },
    ],
  });
}

describe('format v4: blocks, nested', () => {
  it('reads a v1 file as the current version, and keeps an older file’s "blocks" key under another name', () => {
    expect(CURRENT_VERSION).toBe(4);
    const plain = load(irisV1);
    expect(plain.version).toBe(4);
    expect(plain.blocks).toBeUndefined();
    const odd = load({ ...irisV1, blocks: 'notes of a v1 tool' }) as Record<string, unknown>;
    expect(odd.blocks).toBeUndefined();
    expect(odd['blocks (before format 3)']).toBe('notes of a v1 tool');
  });

  it('reads a v3 file’s blocks unchanged as v4', () => {
    const block = { id: 'b1', name: 'Classifier', nodes: layerIds(irisV1), collapsed: true };
    const p = load({ ...irisV1, version: 3, blocks: [block] });
    expect(p.version).toBe(4);
    expect(p.blocks).toEqual([block]);
  });

  it('keeps nested blocks through a load and a save, and names bad membership with its JSON path', () => {
    const p = grouped();
    expect(p.blocks).toEqual([
      { id: 'b1', name: 'Classifier', nodes: layerIds(irisV1), collapsed: true, position: { x: 0, y: 100 } },
      { id: 'b2', name: 'Features', nodes: layerIds(irisV1).slice(0, 1), collapsed: true },
    ]);
    const again = projectFromText(projectToText(p));
    expect(again.ok && again.project.blocks).toEqual(p.blocks);
    const [first, second] = layerIds(irisV1);
    const bad = projectFromJson({
      ...irisV1,
      version: 3,
      blocks: [
        { id: 'b1', name: 'A', nodes: [first] },
        { id: 'b2', name: 'B', nodes: [second] },
        { id: 'b3', name: '', nodes: [] },
      ],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        { path: 'blocks[2].name', message: 'a block needs a name' },
        { path: 'blocks[2].nodes', message: 'a block holds at least one node' },
      ]),
    );
    const refs = projectFromJson({
      ...irisV1,
      version: 3,
      blocks: [
        { id: 'b1', name: 'A', nodes: [first, 'ghost'] },
        { id: 'b1', name: 'B', nodes: [first, second] },
        { id: 'b3', name: 'C', nodes: [second, 'out'] },
        { id: 'b4', name: 'D', nodes: [first, second] },
        { id: 'b5', name: 'E', nodes: ['in', 'in'] },
      ],
    });
    expect(refs.ok).toBe(false);
    if (refs.ok) return;
    expect(refs.problems).toEqual([
      { path: 'blocks[0].nodes[1]', message: 'Block "A" holds node "ghost", which does not exist.' },
      { path: 'blocks[1].id', message: 'Block id "b1" is used more than once; ids must be unique.' },
      {
        path: 'blocks[2].nodes[1]',
        message: `Blocks "B" and "C" share nodes but neither holds all of the other's (node "out"); blocks may nest, not overlap.`,
      },
      { path: 'blocks[3].nodes', message: 'Blocks "B" and "D" hold the same nodes; one block is enough.' },
      { path: 'blocks[4].nodes[1]', message: 'Block "E" lists node "in" twice.' },
    ]);
  });

  it('netwright inspect --json reports the same nodes and parameters with and without the block', async () => {
    const withBlock = path.join(dir, 'grouped.netwright.json');
    writeFileSync(withBlock, JSON.stringify(grouped()));
    const a = await netwright('inspect', 'resources/examples/iris-mlp.netwright.json', '--json');
    const b = await netwright('inspect', withBlock, '--json');
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
  });

  it('exports the same ONNX bytes and the same PyTorch model.py with and without the block', async () => {
    const plain = load(irisV1);
    const files = ['plain', 'grouped'].map((n) => path.join(dir, `${n}.onnx`));
    await exportModel(tf, { project: plain, onnxPath: files[0], seed: 5 });
    await exportModel(tf, { project: grouped(), onnxPath: files[1], seed: 5 });
    expect(readFileSync(files[1]).equals(readFileSync(files[0]))).toBe(true);
    const pkgs = ['plain-pt', 'grouped-pt'].map((n) => path.join(dir, n));
    await exportTorchPackage(tf, { project: plain, outDir: pkgs[0], seed: 5 });
    await exportTorchPackage(tf, { project: grouped(), outDir: pkgs[1], seed: 5 });
    const modelPy = (d: string) => readFileSync(path.join(d, 'model.py'), 'utf8');
    expect(modelPy(pkgs[1])).toBe(modelPy(pkgs[0]));
  });

  it('trains to the same metrics with and without the block', async () => {
    const settings = { epochs: 3, seed: 7, backend: 'js' as const };
    const a = await trainProject({ project: load(irisV1), outDir: path.join(dir, 'run-plain'), ...settings });
    const b = await trainProject({ project: grouped(), outDir: path.join(dir, 'run-grouped'), ...settings });
    expect(a.status).toBe('complete');
    expect(b.metrics).toEqual(a.metrics);
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
  });
});
