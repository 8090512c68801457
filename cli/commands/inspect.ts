import type { Command } from 'commander';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { loadProjectOrExit } from '../load-project.ts';
import type { CommandContext } from '../context.ts';

const fmt = (shape: (number | null)[] | null) => (shape ? `[${shape.map((d) => (d === null ? '?' : d)).join(', ')}]` : '—');

export function registerInspect(program: Command, ctx: CommandContext): void {
  program
    .command('inspect <project>')
    .description('validate a project and print every node’s output shape and parameter count')
    .option('--json', 'print machine-readable JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const project = await loadProjectOrExit(file, ctx);
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
              })),
              totalParams: result.totalParams,
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
          `  ${n.id.padEnd(idWidth)}  ${n.type.padEnd(typeWidth)}  ${fmt(n.outputShape).padEnd(20)}  ${n.paramCount.toLocaleString('en-US')} params`,
        );
      }
      ctx.out(`Total parameters: ${result.totalParams.toLocaleString('en-US')}`);
      for (const d of result.diagnostics) {
        const where = d.nodeId ? `${d.nodeId}: ` : '';
        (d.severity === 'error' ? ctx.err : ctx.out)(`${d.severity}: ${where}${d.message}`);
      }
    });
}
