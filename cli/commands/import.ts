// netwright import <model.onnx|model.json> --out <project> (docs/ARCHITECTURE.md, Import): an
// editable project with the model's weights in a file beside it. Exit 1 lists every op that can't be
// imported (op, node, why) and writes nothing; exit 2 when the file is not a model at all.
import path from 'node:path';
import type { Command } from 'commander';
import { selectBackend, type BackendChoice } from '../../engine/backend.ts';
import { importModel } from '../../engine/import/import-model.ts';
import { ImportError, problemSentence } from '../../engine/import/import-types.ts';
import { PARITY_TOLERANCE } from '../../engine/export/parity.ts';
import { CliError, type CommandContext } from '../context.ts';
import { BACKEND_HELP, backendChoice } from '../options.ts';

interface ImportOptions {
  out: string;
  backend: BackendChoice;
}

export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command('import <model>')
    .description(
      'import an ONNX file or a tfjs layers model.json as an editable project, its weights in a file beside it',
    )
    .requiredOption('--out <project>', 'the project file to write, e.g. model.netwright.json')
    .option(
      '--backend <name>',
      `tfjs backend for the check against the source: ${BACKEND_HELP}`,
      backendChoice,
      'auto',
    )
    .action(async (model: string, opts: ImportOptions) => {
      const { tf } = await selectBackend(opts.backend);
      let outcome;
      try {
        outcome = await importModel(tf, { file: model, outProject: opts.out });
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        if (err.kind === 'unreadable')
          throw new CliError(`${path.basename(model)}: ${err.problems[0].why}.`, 2);
        for (const p of err.problems) ctx.err(`  ${problemSentence(p)}`);
        throw new CliError(
          `${path.basename(model)} can't be imported (${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}); nothing was written.`,
          1,
        );
      }
      ctx.out(
        `Checked against ${path.basename(model)} ${outcome.format === 'onnx' ? 'in onnxruntime-node' : 'as tfjs loads it'} on ${outcome.parity.samples} seeded samples: max abs diff ${outcome.parity.maxAbsDiff.toExponential(2)} (tolerance ${PARITY_TOLERANCE}) — passed`,
      );
      ctx.out(
        `Wrote ${outcome.projectPath} (${outcome.nodes} nodes, ${outcome.totalParams.toLocaleString('en-US')} parameters) and its weights ${outcome.weightsFile}`,
      );
    });
}
