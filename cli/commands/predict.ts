import type { Command } from 'commander';
import type { BackendChoice } from '../../engine/backend.ts';
import { predictWithRun } from '../../engine/eval/evaluate-run.ts';
import type { CommandContext } from '../context.ts';
import { cliErrorFrom } from '../exit-codes.ts';
import { BACKEND_HELP, backendChoice } from '../options.ts';

export function registerPredict(program: Command, ctx: CommandContext): void {
  program
    .command('predict <run-dir> <file>')
    .description(
      'predict with a trained run: a CSV (one prediction per row) or an image; the saved preprocessing is applied',
    )
    .option('--json', 'print machine-readable JSON')
    .option('--backend <name>', BACKEND_HELP, backendChoice, 'auto')
    .action(async (dir: string, file: string, opts: { json?: boolean; backend: BackendChoice }) => {
      const { predictions, warnings } = await predictWithRun(dir, file, opts.backend).catch(cliErrorFrom);
      for (const w of warnings) ctx.err(`warning: ${w}`);
      if (opts.json) {
        ctx.out(JSON.stringify({ predictions }, null, 2));
        return;
      }
      for (const p of predictions) {
        if ('className' in p) ctx.out(`${p.row}: ${p.className} (probability ${p.probability.toFixed(3)})`);
        else
          ctx.out(
            `${p.row}: ${Object.entries(p.values)
              .map(([k, v]) => `${k} = ${Number(v.toPrecision(6))}`)
              .join(', ')}`,
          );
      }
    });
}
