// A project's layers start from another model's weights (startFrom: a run folder, limited to some
// nodes): they arrive bit-for-bit, the rest keep the seeded start, and weights that no longer fit are
// refused naming each node (real CLI, real runs).
import { promises as fs } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { netwright, ROOT } from '../cli/run-cli.ts';
import { loadLayersModel } from '../../engine/io/tfjs-files.ts';
import type { Project } from '../../engine/project/schema.ts';

await tf.setBackend('cpu');

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-start-from-'));
let iris: Project;

async function writeProject(name: string, edit: (p: Project) => Project): Promise<string> {
  const file = path.join(dir, `${name}.netwright.json`);
  await fs.writeFile(file, JSON.stringify(edit(structuredClone(iris))));
  return file;
}

const weightsOf = async (folder: string) => {
  const model = await loadLayersModel(tf, folder);
  const out = new Map(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
  model.dispose();
  return out;
};

beforeAll(async () => {
  iris = JSON.parse(
    await fs.readFile(path.join(ROOT, 'resources/examples/iris-mlp.netwright.json'), 'utf8'),
  ) as Project;
  const source = await writeProject('source', (p) => p);
  const r = await netwright('train', source, '--out', path.join(dir, 'runs', 'first'), '--epochs', '3');
  expect(r.code, r.stderr).toBe(0);
}, 240_000);

describe('startFrom', () => {
  it('takes the named nodes from a run bit-for-bit and leaves the others seeded', async () => {
    const file = await writeProject('tuned', (p) => ({
      ...p,
      startFrom: [{ source: 'runs/first', nodes: ['d1'] }],
    }));
    const out = path.join(dir, 'tuned-tfjs');
    const r = await netwright('export', file, '--tfjs', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "Weights: the project's start weights (runs/first), seed 42 for any layer they do not cover",
    );
    const run = await weightsOf(path.join(dir, 'runs', 'first', 'model'));
    const started = await weightsOf(out);
    expect(started.get('d1/kernel')).toEqual(run.get('d1/kernel'));
    expect(started.get('d1/bias')).toEqual(run.get('d1/bias'));
    expect(started.get('d2/kernel')).not.toEqual(run.get('d2/kernel'));
  });

  it('names every node whose weights no longer fit, and the run fails', async () => {
    const file = await writeProject('narrow', (p) => ({
      ...p,
      graph: {
        ...p.graph,
        nodes: p.graph.nodes.map((n) => (n.id === 'd1' ? { ...n, params: { ...n.params, units: 8 } } : n)),
      },
      startFrom: [{ source: 'runs/first' }],
    }));
    const r = await netwright('train', file, '--out', path.join(dir, 'runs', 'narrow'), '--epochs', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Node d1: its kernel weights in runs/first have shape [4, 16], but the layer needs [4, 8].',
    );
    expect(r.stderr).toContain(
      'Node d2: its kernel weights in runs/first have shape [16, 3], but the layer needs [8, 3].',
    );
  });

  it('names a node the source has no weights for', async () => {
    const file = await writeProject('missing', (p) => ({
      ...p,
      startFrom: [{ source: 'runs/first', nodes: ['conv9'] }],
    }));
    const r = await netwright('export', file, '--tfjs', path.join(dir, 'missing-tfjs'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Node conv9 has no weights in runs/first (it has weights for d1, d2).');
  });

  it('refuses a source outside the project folder', async () => {
    const file = await writeProject('outside', (p) => ({
      ...p,
      startFrom: [{ source: '../elsewhere/run' }],
    }));
    const r = await netwright('inspect', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'startFrom[0].source: must be a path inside the project folder (relative, without "..")',
    );
  });
});
