// The nodes that are part of the model: those that reach an Output (dead ends are only warned about
// by inspect, and compileGraph leaves them out too), in topological order.
import type { InspectResult, NodeInfo } from './inspect.ts';

export function liveNodes(inspection: InspectResult): NodeInfo[] {
  const byId = new Map(inspection.nodes.map((n) => [n.id, n]));
  const live = new Set<string>();
  const stack = inspection.nodes.filter((n) => n.type === 'Output').map((n) => n.id);
  while (stack.length) {
    const id = stack.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    stack.push(...(byId.get(id)?.inputs ?? []));
  }
  return inspection.order.filter((id) => live.has(id)).map((id) => byId.get(id)!);
}
