// Input ports (docs/ARCHITECTURE.md, "Named ports"): which port an edge feeds, the order the inputs
// reach a layer in, and what is wrong with a node's connections. Pure, so the canvas uses the same
// rules as inspect.
import type { LayerSpec, PortDef } from './types.ts';

/** The port of a layer that takes one input; an edge into it may leave its port out. */
export const SINGLE_PORT = 'in';

const ORDERED = /^in(\d{1,4})$/;

/** The name of the k-th ordered port of a merge. */
export const orderedPort = (k: number): string => `in${k}`;

/** How a layer's inputs are told apart. */
export function portStyle(spec: Pick<LayerSpec, 'ports' | 'arity'>): 'named' | 'ordered' | 'single' {
  if (spec.ports?.length) return 'named';
  return spec.arity.max > 1 ? 'ordered' : 'single';
}

/**
 * Sort key of an edge's port: a named port's declaration index; an ordered port's number (no port
 * counts as in0, as v1's missing targetPort counted as 0); an unknown name sorts last.
 */
function rank(spec: Pick<LayerSpec, 'ports' | 'arity'>, port: string | undefined): number {
  const style = portStyle(spec);
  if (style === 'named') {
    const i = spec.ports!.findIndex((p) => p.name === port);
    return i < 0 ? Infinity : i;
  }
  if (port === undefined) return 0;
  const m = ORDERED.exec(port);
  return style === 'ordered' && m ? Number(m[1]) : port === SINGLE_PORT ? 0 : Infinity;
}

/** Edges in the order their inputs reach the layer: by port, then by their order in the file. */
export function sortByPort<E extends { port?: string }>(
  spec: Pick<LayerSpec, 'ports' | 'arity'> | undefined,
  edges: E[],
): E[] {
  if (!spec) return edges;
  return edges
    .map((edge, i) => ({ edge, i, r: rank(spec, edge.port) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.edge);
}

const names = (ports: PortDef[]) => ports.map((p) => `"${p.name}"`).join(', ');

/** Problems with the ports of a node's incoming edges, one sentence each (empty when they fit). */
export function portProblems(spec: LayerSpec, edges: { id: string; port?: string }[]): string[] {
  const style = portStyle(spec);
  const problems: string[] = [];
  if (style === 'named') {
    const ports = spec.ports!;
    for (const e of edges) {
      if (e.port === undefined) {
        problems.push(
          `Edge "${e.id}" into ${spec.label} names no port; its inputs are ${names(ports)}, so connect it to one of them.`,
        );
      } else if (!ports.some((p) => p.name === e.port)) {
        problems.push(
          `Edge "${e.id}" goes to port "${e.port}", which ${spec.label} does not have; its inputs are ${names(ports)}.`,
        );
      }
    }
    for (const p of ports) {
      const on = edges.filter((e) => e.port === p.name).length;
      if (on > 1)
        problems.push(`${spec.label} has ${on} connections on its "${p.name}" input; one edge per port.`);
      if (on === 0 && !p.optional && edges.length)
        problems.push(
          `${spec.label} has nothing on its "${p.name}" input (${p.help}); connect a layer to it.`,
        );
    }
    return problems;
  }
  for (const e of edges) {
    if (e.port === undefined) continue;
    const fits = style === 'ordered' ? ORDERED.test(e.port) : e.port === SINGLE_PORT;
    if (!fits) {
      problems.push(
        style === 'ordered'
          ? `Edge "${e.id}" goes to port "${e.port}" of ${spec.label}, whose inputs are the ordered ports "in0", "in1", …; use one of those.`
          : `Edge "${e.id}" goes to port "${e.port}", but ${spec.label} has one input, "${SINGLE_PORT}"; leave the port out.`,
      );
    }
  }
  if (style === 'ordered') {
    const ports = edges.map((e) => rank(spec, e.port));
    if (new Set(ports).size !== ports.length && edges.some((e) => e.port !== undefined)) {
      problems.push(
        `${spec.label} has two connections on the same input port; give each input its own port.`,
      );
    }
  }
  return problems;
}

/** The port a new edge into this layer takes when the user did not pick one: the first free one. */
export function freePort(
  spec: Pick<LayerSpec, 'ports' | 'arity'>,
  taken: (string | undefined)[],
): string | undefined {
  const style = portStyle(spec);
  if (style === 'single') return undefined;
  if (style === 'named') return spec.ports!.find((p) => !taken.includes(p.name))?.name;
  const used = new Set(taken.map((p) => rank(spec, p)));
  let k = 0;
  while (used.has(k)) k++;
  return orderedPort(k);
}

/** The port of the i-th input, for a graph written in port order (examples, importers, tests). */
export function portAt(spec: Pick<LayerSpec, 'ports' | 'arity'>, i: number): string | undefined {
  const style = portStyle(spec);
  if (style === 'named') return spec.ports![i]?.name;
  return style === 'ordered' ? orderedPort(i) : undefined;
}

/**
 * The tensors a layer is applied to: a named-port layer gets each source once (tfjs frees a tensor
 * fed twice to one layer too early) and `index` says which of them each port reads; other layers
 * get their inputs as they come.
 */
export function distinctSources(
  spec: Pick<LayerSpec, 'ports' | 'arity'>,
  sources: string[],
): { sources: string[]; index: number[] } {
  const unique = portStyle(spec) === 'named' ? [...new Set(sources)] : sources;
  return { sources: unique, index: sources.map((s, i) => (unique === sources ? i : unique.indexOf(s))) };
}
