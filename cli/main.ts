// Entry point of the `netwright` CLI (docs/ARCHITECTURE.md, "CLI"). Exit codes: 0 success, 1 input understood but
// invalid, 2 input unreadable. Users see one sentence per problem; stacks only with --debug.
import { Command, CommanderError } from 'commander';
import { CliError, type CommandContext } from './context.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerServe } from './commands/serve.ts';
import { registerTrain } from './commands/train.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerPredict } from './commands/predict.ts';
import { registerExport } from './commands/export.ts';
import { registerExplain } from './commands/explain.ts';
import { registerImportCheckpoint } from './commands/import-checkpoint.ts';
import { registerImport } from './commands/import.ts';

const COMMANDS: ((program: Command, ctx: CommandContext) => void)[] = [
  registerInspect,
  registerServe,
  registerTrain,
  registerEvaluate,
  registerPredict,
  registerExport,
  registerExplain,
  registerImportCheckpoint,
  registerImport,
];

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const ctx: CommandContext = {
    exitCode: 0,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    debug,
  };
  const program = new Command('netwright')
    .description('Build, train, evaluate and export neural networks drawn as node graphs.')
    .option('--debug', 'print stack traces for internal errors')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors are unreadable input.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      ctx.err(`netwright: ${err.message}`);
      return err.exitCode;
    }
    ctx.err(`netwright: internal error: ${err instanceof Error ? err.message : String(err)}`);
    if (debug && err instanceof Error && err.stack) ctx.err(err.stack);
    else ctx.err('Run again with --debug for details, and please report it.');
    return 1;
  }
}
