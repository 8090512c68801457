// Format migrations (docs/ARCHITECTURE.md, "Project file format"): migrations[v] turns a version-v
// document into a version-(v+1) one; the loader chains them and sets `version`.
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * v1 → v2: an edge's integer `targetPort` becomes the port name `in<n>`. Only the edges into a node
 * fed by several edges keep it (merges; v1 ordered their inputs by it, then by file order, which
 * the v2 order of `in<n>` ports repeats); into a node with one edge the number never mattered.
 * Anything malformed (a targetPort that is not a whole number 0–1000) is left as it is for the
 * schema to report with its path.
 */
export function namePorts(doc: Record<string, unknown>): Record<string, unknown> {
  const graph = doc.graph;
  if (!isRecord(graph) || !Array.isArray(graph.edges)) return doc;
  const fedBy = new Map<unknown, number>();
  for (const e of graph.edges) if (isRecord(e)) fedBy.set(e.target, (fedBy.get(e.target) ?? 0) + 1);
  const edges = graph.edges.map((e) => {
    if (!isRecord(e) || !('targetPort' in e)) return e;
    const { targetPort, ...rest } = e;
    const valid =
      Number.isInteger(targetPort) && (targetPort as number) >= 0 && (targetPort as number) <= 1000;
    if (!valid) return e;
    return (fedBy.get(e.target) ?? 0) > 1 ? { ...rest, port: `in${targetPort}` } : rest;
  });
  return { ...doc, graph: { ...graph, edges } };
}

/**
 * v2 → v3 adds the optional top-level `blocks` list (docs/ARCHITECTURE.md, "Blocks"). A v2 file has
 * none; a `blocks` key it carried as an unknown key meant something else, so it is kept under
 * another name rather than read as blocks.
 */
export function keepOldBlocksKey(doc: Record<string, unknown>): Record<string, unknown> {
  if (!('blocks' in doc)) return doc;
  const { blocks, ...rest } = doc;
  return { ...rest, 'blocks (before format 3)': blocks };
}

/**
 * v3 → v4 lets blocks nest (docs/ARCHITECTURE.md, "Blocks"). Every v3 file is a valid v4 file as it
 * stands; the new number keeps a v4 file with nested blocks out of a Netwright that refuses them.
 */
export const allowNestedBlocks: Migration = (doc) => doc;

export const migrations: Record<number, Migration> = {
  1: namePorts,
  2: keepOldBlocksKey,
  3: allowNestedBlocks,
};
