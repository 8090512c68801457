// How a project's blocks nest (docs/ARCHITECTURE.md, "Blocks"): a block lists every node inside it,
// so one block sits in another when its nodes are a part of the other's. Any two blocks must be
// disjoint or one inside the other; the loader reports the rest, the editor draws and lays out the
// nesting from the same walk.

export interface BlockLike {
  id: string;
  name: string;
  nodes: readonly string[];
}

export interface NestingProblem {
  /** Which block, by index in the list, and which of its nodes when one is to blame. */
  block: number;
  node?: number;
  message: string;
}

export interface BlockNesting {
  /** The id of the smallest block holding each block (by index), undefined at the top. */
  parent: (string | undefined)[];
  problems: NestingProblem[];
}

/**
 * Walk the blocks from the largest down, remembering for each node the innermost block seen so far
 * that holds it: a block nests in another exactly when all its nodes share that innermost block.
 * Nodes that do not exist are the caller's business (`exists`), skipped here.
 */
export function nestBlocks(
  blocks: readonly BlockLike[],
  exists: (nodeId: string) => boolean = () => true,
): BlockNesting {
  const parent: (string | undefined)[] = blocks.map(() => undefined);
  const problems: NestingProblem[] = [];
  const size = blocks.map((b) => b.nodes.filter(exists).length);
  const order = blocks.map((_, i) => i).sort((a, b) => size[b] - size[a]);
  const innermost = new Map<string, number>();
  for (const i of order) {
    const block = blocks[i];
    const seen = new Set<string>();
    let holder: number | undefined;
    let first = true;
    let ok = true;
    block.nodes.forEach((nodeId, j) => {
      if (!exists(nodeId) || !ok) return;
      if (seen.has(nodeId)) {
        problems.push({ block: i, node: j, message: `Block "${block.name}" lists node "${nodeId}" twice.` });
        ok = false;
        return;
      }
      seen.add(nodeId);
      const h = innermost.get(nodeId);
      if (first) {
        holder = h;
        first = false;
      } else if (h !== holder) {
        const other = blocks[(h ?? holder)!];
        problems.push({
          block: i,
          node: j,
          message: `Blocks "${other.name}" and "${block.name}" share nodes but neither holds all of the other's (node "${nodeId}"); blocks may nest, not overlap.`,
        });
        ok = false;
      }
    });
    if (!ok) continue;
    if (holder !== undefined && size[holder] === size[i]) {
      problems.push({
        block: i,
        message: `Blocks "${blocks[holder].name}" and "${block.name}" hold the same nodes; one block is enough.`,
      });
      continue;
    }
    parent[i] = holder === undefined ? undefined : blocks[holder].id;
    for (const nodeId of seen) innermost.set(nodeId, i);
  }
  problems.sort((a, b) => a.block - b.block || (a.node ?? -1) - (b.node ?? -1));
  return { parent, problems };
}
