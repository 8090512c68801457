// The graph an importer builds, node by node, with each node's output shape worked out by its layer
// spec as it is added (the registry's own shape rules, so a node that would not fit fails here, at
// its source node, instead of in the finished project).
import { getLayer } from '../layers/registry.ts';
import { resolveParams } from '../layers/params.ts';
import { portAt, sortByPort } from '../layers/ports.ts';
import type { Params, Shape } from '../layers/types.ts';
import type { Graph, ProjectNode } from '../project/schema.ts';
import type { WeightTensor } from '../onnx/emitter-types.ts';
import { weightName, type NamedWeights } from '../weights/named-weights.ts';

export class DraftError extends Error {}

const ID_CHARS = /[^A-Za-z0-9_.-]+/g;

export class GraphDraft {
  readonly nodes: ProjectNode[] = [];
  readonly edges: Graph['edges'] = [];
  readonly weights: NamedWeights = new Map();
  private readonly shapes = new Map<string, Shape>();
  private readonly used = new Set<string>();

  /** A unique node id from a source name ("/fc1/Gemm" → "fc1", "d1/Gemm#node" → "d1"). */
  freshId(sourceName: string, fallback: string): string {
    const parts = sourceName.replace(/#.*$/, '').split('/').filter(Boolean);
    const base = ((parts.length > 1 ? parts[parts.length - 2] : parts[0]) ?? '').replace(ID_CHARS, '_');
    const stem = base || fallback;
    let id = stem;
    for (let i = 2; this.used.has(id); i++) id = `${stem}_${i}`;
    this.used.add(id);
    return id;
  }

  /** Adds a node fed by `inputs` (port order) and returns its id; throws DraftError when it does not fit. */
  add(type: string, params: Params, inputs: string[], opts: { id: string; label?: string }): string {
    const spec = getLayer(type);
    if (!spec) throw new DraftError(`this Netwright has no ${type} layer`);
    const node: ProjectNode = { id: opts.id, type, params };
    if (opts.label && opts.label !== opts.id) node.label = opts.label;
    this.nodes.push(node);
    inputs.forEach((source, port) =>
      this.edges.push({
        id: `${source}->${opts.id}${inputs.length > 1 ? `:${port}` : ''}`,
        source,
        target: opts.id,
        ...(inputs.length > 1 ? { port: portAt(spec, port) } : {}),
      }),
    );
    this.used.add(opts.id);
    this.reshape(opts.id);
    return opts.id;
  }

  node(id: string): ProjectNode {
    return this.nodes.find((n) => n.id === id)!;
  }

  /** Changes a param of a node nothing reads yet (fusing an activation, choosing returnSequences). */
  setParam(id: string, name: string, value: Params[string]): void {
    this.node(id).params[name] = value;
    this.reshape(id);
  }

  /** Makes a node nothing reads yet another kind with the same input (two ONNX nodes, one layer). */
  retype(id: string, type: string, params: Params): void {
    const node = this.node(id);
    node.type = type;
    node.params = params;
    this.reshape(id);
  }

  shape(id: string): Shape {
    return this.shapes.get(id)!;
  }

  consumersOf(id: string): number {
    return this.edges.filter((e) => e.source === id).length;
  }

  setWeight(nodeId: string, name: string, w: WeightTensor): void {
    this.weights.set(weightName(nodeId, name), w);
  }

  weight(nodeId: string, name: string): WeightTensor | undefined {
    return this.weights.get(weightName(nodeId, name));
  }

  private reshape(id: string): void {
    const node = this.node(id);
    const spec = getLayer(node.type)!;
    const inputs = sortByPort(
      spec,
      this.edges.filter((e) => e.target === id),
    ).map((e) => this.shapes.get(e.source)!);
    const resolved = resolveParams(spec.params, node.params);
    if (resolved.problems.length) throw new DraftError(resolved.problems[0].replace(/\.$/, ''));
    try {
      this.shapes.set(id, spec.inferShape(inputs, resolved.params as never));
    } catch (err) {
      throw new DraftError((err instanceof Error ? err.message : String(err)).replace(/\.$/, ''));
    }
  }

  graph(): Graph {
    return { nodes: this.nodes, edges: this.edges };
  }
}
