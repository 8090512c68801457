// netwright import-checkpoint <package-dir> [--checkpoint <folder>] --out <run-dir> (docs/ARCHITECTURE.md, "CLI"): the
// weights a PyTorch package trained, back as a run folder that evaluate, predict and export read.
import type { Command } from 'commander';
import { selectBackend, type BackendChoice } from '../../engine/backend.ts';
import { importCheckpoint } from '../../engine/pytorch/import-checkpoint.ts';
import type { CommandContext } from '../context.ts';
import { cliErrorFrom } from '../exit-codes.ts';
import { BACKEND_HELP, backendChoice } from '../options.ts';
import { formatMetrics } from './evaluate.ts';

interface ImportOptions {
  out: string;
  checkpoint?: string;
  backend: BackendChoice;
}

export function registerImportCheckpoint(program: Command, ctx: CommandContext): void {
  program
    .command('import-checkpoint <package-dir>')
    .description(
      'turn the weights a PyTorch package (export --pytorch) trained into a Netwright run folder, with test metrics recomputed by Netwright',
    )
    .requiredOption('--out <run-dir>', 'the run folder to write')
    .option(
      '--checkpoint <folder>',
      'a checkpoint folder of the package (default: output/final, else the latest of output/checkpoints)',
    )
    .option('--backend <name>', BACKEND_HELP, backendChoice, 'auto')
    .action(async (packageDir: string, opts: ImportOptions) => {
      const { tf } = await selectBackend(opts.backend);
      let outcome;
      try {
        outcome = await importCheckpoint(tf, { packageDir, checkpoint: opts.checkpoint, outDir: opts.out });
      } catch (err) {
        cliErrorFrom(err);
      }
      ctx.out(
        `Imported ${outcome.checkpoint} (${outcome.epochsRun} epochs trained) into the run ${opts.out}.`,
      );
      for (const line of formatMetrics(outcome.metrics)) ctx.out(line);
      const reported = outcome.reported;
      if (reported) {
        const shown = Object.entries(reported)
          .filter(([k, v]) => typeof v === 'number' && ['loss', 'accuracy', 'mae'].includes(k))
          .map(([k, v]) => `${k} ${(v as number).toFixed(4)}`)
          .join(', ');
        ctx.out(`train.py reported on the same test split: ${shown}.`);
      }
    });
}
