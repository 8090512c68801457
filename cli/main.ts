// Entry point of the `netwright` CLI (docs/ARCHITECTURE.md, "CLI"). Exit codes: 0 success, 1 input understood but
// invalid, 2 input unreadable. Users see one sentence per problem; stacks only with --debug.
import { Command, CommanderError } from 'commander';
import { CliError, type CommandContext } from './context.ts';

type Register = (program: Command, ctx: CommandContext) => void;

// Each command's module is imported only when that command runs (all of them for help or an
// unknown command): their engine imports (tfjs, the web server) take seconds to load, and most
// runs need one command.
const COMMANDS: Record<string, () => Promise<Register>> = {
  inspect: async () => (await import('./commands/inspect.ts')).registerInspect,
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  train: async () => (await import('./commands/train.ts')).registerTrain,
  evaluate: async () => (await import('./commands/evaluate.ts')).registerEvaluate,
  predict: async () => (await import('./commands/predict.ts')).registerPredict,
  export: async () => (await import('./commands/export.ts')).registerExport,
  explain: async () => (await import('./commands/explain.ts')).registerExplain,
  'import-checkpoint': async () => (await import('./commands/import-checkpoint.ts')).registerImportCheckpoint,
  import: async () => (await import('./commands/import.ts')).registerImport,
};

/** The modules to load for `argv`: its command's, or every one when it names none that exists. */
function commandsFor(argv: string[]): (() => Promise<Register>)[] {
  // --debug is the only global option and takes no value, so the first other word is the command.
  const name = argv.find((a) => !a.startsWith('-'));
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? [COMMANDS[name]] : Object.values(COMMANDS);
}

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
  for (const load of commandsFor(argv)) (await load())(program, ctx);
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
