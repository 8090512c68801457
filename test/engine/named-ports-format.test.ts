// Format version 2 (named ports, docs/ARCHITECTURE.md): v1 files, the bundled examples among them,
// load through the v1 → v2 migration and compile to the same models; a saved v2 file round-trips;
// ports that do not fit their layer are named in one sentence.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { projectFromJson, projectToText } from '../../engine/project/load.ts';
import { CURRENT_VERSION, type Project } from '../../engine/project/schema.ts';
import { EXAMPLES_DIR } from '../../engine/examples.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { dag } from './graph-helpers.ts';

await tf.setBackend('cpu');

const loaded = (doc: unknown): Project => {
  const r = projectFromJson(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.project;
};

type V1Edge = { id: string; source: string; target: string; targetPort?: number };

/** The inputs of each node as format 1 ordered them: by targetPort (missing = 0), then file order. */
function v1Inputs(edges: V1Edge[]): Map<string, string[]> {
  const into = new Map<string, V1Edge[]>();
  edges.forEach((e) => into.set(e.target, [...(into.get(e.target) ?? []), e]));
  return new Map(
    [...into].map(([t, list]) => [
      t,
      list
        .map((e, i) => ({ e, i }))
        .sort((a, b) => (a.e.targetPort ?? 0) - (b.e.targetPort ?? 0) || a.i - b.i)
        .map(({ e }) => e.source),
    ]),
  );
}

/** The source layers each compiled layer is applied to, in argument order. */
function compiledInputs(project: Project): Map<string, string[]> {
  const { model } = compileGraph(tf, project.graph);
  const out = new Map<string, string[]>();
  for (const layer of model.layers) {
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    if (inbound.length)
      out.set(
        layer.name,
        inbound.map((l) => l.name),
      );
  }
  return out;
}

const readExample = (file: string) => JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
/** The examples written in format 1 (all but those added with format 2). */
const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.netwright.json'))
  .filter((f) => readExample(f).version === 1);

describe('format 2: v1 files migrate', () => {
  it('the bundled format-1 examples are all there', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples)('%s (v1) compiles with every layer fed as format 1 ordered it', (file) => {
    const doc = readExample(file);
    const project = loaded(doc);
    expect(project.version).toBe(CURRENT_VERSION);
    expect(project.graph.edges.some((e) => 'targetPort' in e)).toBe(false);
    const v1 = v1Inputs(doc.graph.edges);
    const compiled = compiledInputs(project);
    expect(compiled.size).toBeGreaterThan(0);
    for (const [layer, sources] of compiled) {
      // Input layers are named by their node id; an Output adds no tfjs layer.
      expect({ layer, sources }).toEqual({ layer, sources: v1.get(layer) });
    }
    // The same graph saved as v2 and read back inspects the same.
    const again = loaded(JSON.parse(projectToText(project)));
    expect(again).toEqual(project);
    expect(inspectGraph(again.graph)).toEqual(inspectGraph(project.graph));
  });

  it('keeps a merge’s v1 port order, not its file order: Concatenate joins port 0 first', () => {
    const project = loaded({
      format: 'netwright',
      version: 1,
      name: 'ports swapped',
      graph: {
        nodes: [
          { id: 'a', type: 'Input', params: { shape: [2] } },
          { id: 'b', type: 'Input', params: { shape: [3] } },
          { id: 'cat', type: 'Concatenate', params: {} },
          { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
        ],
        edges: [
          { id: 'e1', source: 'a', target: 'cat', targetPort: 1 },
          { id: 'e2', source: 'b', target: 'cat', targetPort: 0 },
          { id: 'e3', source: 'cat', target: 'out', targetPort: 0 },
        ],
      },
    });
    expect(project.graph.edges).toEqual([
      { id: 'e1', source: 'a', target: 'cat', port: 'in1' },
      { id: 'e2', source: 'b', target: 'cat', port: 'in0' },
      { id: 'e3', source: 'cat', target: 'out' },
    ]);
    const { model, inputIds } = compileGraph(tf, project.graph);
    const feeds = { a: tf.tensor2d([[1, 2]]), b: tf.tensor2d([[3, 4, 5]]) };
    const y = model.predict(inputIds.map((id) => feeds[id as 'a' | 'b'])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([3, 4, 5, 1, 2]);
  });

  it('reports a v1 targetPort that is not a port number at its path', () => {
    const r = projectFromJson({
      format: 'netwright',
      version: 1,
      graph: {
        nodes: [],
        edges: [{ id: 'e1', source: 'a', target: 'b', targetPort: -2 }],
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      {
        path: 'graph.edges[0].targetPort',
        message: expect.stringMatching(/^targetPort must be a whole number/),
      },
    ]);
  });
});

describe('format 2: ports', () => {
  const merge = (ports: (string | undefined)[]) =>
    dag(
      [
        ['x', 'Input', { shape: [4] }],
        ['d1', 'Dense', { units: 4 }],
        ['d2', 'Dense', { units: 4 }],
        ['add', 'Add', {}],
        ['out', 'Output', { loss: 'meanSquaredError' }],
      ],
      [
        ['x', 'd1'],
        ['x', 'd2'],
        ['d1', 'add', ports[0]],
        ['d2', 'add', ports[1]],
        ['add', 'out'],
      ],
    );
  const errors = (g: ReturnType<typeof dag>) =>
    inspectGraph(g)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.message);

  it('a merge takes its ordered ports in0, in1, … and refuses two edges on one port', () => {
    expect(errors(merge(['in0', 'in1']))).toEqual([]);
    expect(errors(merge(['in1', 'in1']))).toEqual([
      'Add has two connections on the same input port; give each input its own port.',
    ]);
    expect(errors(merge(['in0', 'query']))).toEqual([
      'Edge "e3" goes to port "query" of Add, whose inputs are the ordered ports "in0", "in1", …; use one of those.',
    ]);
  });

  it('a layer with one input has the port "in" or none', () => {
    const g = merge(['in0', 'in1']);
    g.edges[0] = { ...g.edges[0], port: 'key' };
    expect(errors(g)).toEqual([
      'Edge "e0" goes to port "key", but Dense has one input, "in"; leave the port out.',
    ]);
    g.edges[0] = { ...g.edges[0], port: 'in' };
    expect(errors(g)).toEqual([]);
  });
});
