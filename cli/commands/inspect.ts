import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { inspectGraph, type Diagnostic } from '../../engine/graph/inspect.ts';
import { fmtShape } from '../../engine/layers/common.ts';
import { readProjectFile } from '../../engine/project/files.ts';
import type { ProjectProblem } from '../../engine/project/load.ts';
import { projectOrExit } from '../load-project.ts';
import type { CommandContext } from '../context.ts';

/**
 * With --json, a file that parses but fails validation (duplicate ids, edges to missing nodes, bad
 * values) still answers in JSON: each problem becomes a diagnostic on the node its path points at.
 */
async function problemsAsDiagnostics(file: string, problems: ProjectProblem[]): Promise<Diagnostic[]> {
  type RawGraph = { nodes?: { id?: unknown }[]; edges?: { source?: unknown; target?: unknown }[] };
  let graph: RawGraph = {};
  try {
    graph =
      (JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as { graph?: RawGraph }).graph ?? {};
  } catch {
    // Already parsed once by readProjectFile; if it changed meanwhile, fall back to graph-level diagnostics.
  }
  const idAt = (m: RegExpMatchArray | null): string | null => {
    if (!m) return null;
    const index = Number(m[2]);
    const item = m[1] === 'nodes' ? graph.nodes?.[index] : graph.edges?.[index];
    if (!item) return null;
    // A node's own problem is on that node; an edge's dangling end is reported on the end that exists.
    const id =
      m[1] === 'nodes'
        ? (item as { id?: unknown }).id
        : m[3] === 'source'
          ? (item as { target?: unknown }).target
          : (item as { source?: unknown }).source;
    return typeof id === 'string' ? id : null;
  };
  return problems.map((p) => ({
    nodeId: idAt(p.path.match(/^graph\.(nodes|edges)\[(\d+)\](?:\.(\w+))?/)),
    severity: 'error',
    message: `${p.path ? `${p.path}: ` : ''}${p.message}`,
  }));
}

const fmt = (shape: (number | null)[] | null) => (shape ? fmtShape(shape) : '—');

export function registerInspect(program: Command, ctx: CommandContext): void {
  program
    .command('inspect <project>')
    .description('validate a project and print every node’s output shape and parameter count')
    .option('--json', 'print machine-readable JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const read = await readProjectFile(file);
      if (opts.json && !read.ok && 'problems' in read && !read.problems.some((p) => p.path === 'version')) {
        const diagnostics = await problemsAsDiagnostics(file, read.problems);
        ctx.out(JSON.stringify({ valid: false, diagnostics, nodes: [], totalParams: 0 }, null, 2));
        ctx.exitCode = 1;
        return;
      }
      const project = projectOrExit(file, read, ctx);
      const result = inspectGraph(project.graph);
      ctx.exitCode = result.valid ? 0 : 1;
      if (opts.json) {
        ctx.out(
          JSON.stringify(
            {
              valid: result.valid,
              diagnostics: result.diagnostics,
              nodes: result.nodes.map((n) => ({
                id: n.id,
                type: n.type,
                outputShape: n.outputShape,
                params: n.params,
                paramCount: n.paramCount,
                trainable: !n.frozen,
              })),
              totalParams: result.totalParams,
              trainableParams: result.totalParams - result.frozenParams,
              frozenParams: result.frozenParams,
            },
            null,
            2,
          ),
        );
        return;
      }
      ctx.out(`${project.name}: ${result.valid ? 'valid' : 'INVALID'}`);
      const idWidth = Math.max(4, ...result.nodes.map((n) => n.id.length));
      const typeWidth = Math.max(4, ...result.nodes.map((n) => n.type.length));
      for (const n of result.nodes) {
        ctx.out(
          `  ${n.id.padEnd(idWidth)}  ${n.type.padEnd(typeWidth)}  ${fmt(n.outputShape).padEnd(20)}  ${n.paramCount.toLocaleString('en-US')} params${n.frozen ? ' (frozen)' : ''}`,
        );
      }
      ctx.out(
        `Total parameters: ${result.totalParams.toLocaleString('en-US')}` +
          (result.frozenParams
            ? ` (${(result.totalParams - result.frozenParams).toLocaleString('en-US')} trainable, ${result.frozenParams.toLocaleString('en-US')} frozen)`
            : ''),
      );
      for (const d of result.diagnostics) {
        const where = d.nodeId ? `${d.nodeId}: ` : '';
        (d.severity === 'error' ? ctx.err : ctx.out)(`${d.severity}: ${where}${d.message}`);
      }
    });
}
