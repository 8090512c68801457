// Whether a new edge may be drawn, and if not, one sentence saying why (shown at the cursor while
// dragging and as a toast when the drop is refused).
import { getLayer } from '../../../engine/layers/registry.ts';
import { inspectGraph } from '../../../engine/graph/inspect.ts';
import { resolveParams } from '../../../engine/layers/params.ts';
import { ShapeError } from '../../../engine/layers/types.ts';
import type { Graph } from '../../../engine/project/schema.ts';
import { freePort, portStyle, sortByPort } from '../../../engine/layers/ports.ts';

/**
 * The port a new edge from a dragged handle lands on: the handle dropped on when it names a free
 * port, else the first free one (undefined for a layer with a single input).
 */
export function portForConnection(graph: Graph, target: string, handle?: string | null): string | undefined {
  const to = graph.nodes.find((n) => n.id === target);
  const spec = to && getLayer(to.type);
  if (!spec || portStyle(spec) === 'single') return undefined;
  const taken = graph.edges.filter((e) => e.target === target).map((e) => e.port);
  const named = portStyle(spec) === 'named' && spec.ports!.some((p) => p.name === handle);
  if (handle && (named || /^in\d+$/.test(handle)) && !taken.includes(handle)) return handle;
  return freePort(spec, taken);
}

/** Each node's output shape ([batch, ...] or null), as inspecting the graph gives them. */
export type OutputShapes = ReadonlyMap<string, (number | null)[] | null>;

/** `shapes`: the graph's output shapes when the caller has them (the editor's inspection), else inferred here. */
export function connectionProblem(
  graph: Graph,
  source: string,
  target: string,
  handle?: string | null,
  shapes?: OutputShapes,
): string | null {
  if (source === target) return 'A layer cannot feed itself.';
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const from = byId.get(source);
  const to = byId.get(target);
  if (!from || !to) return 'That node no longer exists.';
  const fromSpec = getLayer(from.type);
  const toSpec = getLayer(to.type);
  if (fromSpec && !fromSpec.producesOutput) {
    return `${fromSpec.label} marks a model output and produces nothing to connect onward.`;
  }
  if (toSpec && toSpec.arity.max === 0) return `${toSpec.label} is where data enters; it takes no inputs.`;
  const into = graph.edges.filter((e) => e.target === target);
  const named = toSpec && portStyle(toSpec) === 'named';
  // A named-port layer may read one tensor on several ports (self-attention: query = key = x).
  if (!named && into.some((e) => e.source === source))
    return `"${source}" is already connected to "${target}".`;
  const port = portForConnection(graph, target, handle);
  if (named && handle && into.some((e) => e.port === handle)) {
    const on = into.find((e) => e.port === handle)!;
    return `The "${handle}" input of "${target}" already has "${on.source}"; one edge per port: delete that edge first.`;
  }
  if (toSpec && Number.isFinite(toSpec.arity.max) && into.length >= toSpec.arity.max) {
    const existing = into.map((e) => `"${e.source}"`).join(', ');
    return `${toSpec.label} takes ${toSpec.arity.max === 1 ? 'a single input' : `at most ${toSpec.arity.max} inputs`} and already has ${existing}; delete that edge first.`;
  }
  // Cycle: is `source` reachable from `target`?
  const outgoing = new Map<string, string[]>();
  for (const e of graph.edges) outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
  const stack = [target];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (id === source)
      return `Connecting "${source}" → "${target}" would make a cycle; a network must flow one way.`;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(outgoing.get(id) ?? []));
  }
  // Incompatible shapes/ranks: refuse when this edge alone breaks the target's shape rule.
  if (toSpec && into.length + 1 >= toSpec.arity.min) {
    const known = shapes ?? new Map(inspectGraph(graph).nodes.map((n) => [n.id, n.outputShape]));
    const ordered = sortByPort(toSpec, [...into, { id: '', source, target, port }]);
    const inputs = ordered.map((e) => known.get(e.source));
    const portsReady =
      !named || toSpec.ports!.every((p) => p.optional || ordered.some((e) => e.port === p.name));
    if (portsReady && inputs.every((s) => s)) {
      const resolved = resolveParams(toSpec.params, to.params as Record<string, unknown>);
      if (!resolved.problems.length) {
        try {
          toSpec.inferShape(
            inputs.map((s) => s!.slice(1)),
            resolved.params,
          );
        } catch (err) {
          if (err instanceof ShapeError) return err.message;
        }
      }
    }
  }
  return null;
}
