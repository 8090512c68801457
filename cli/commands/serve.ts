import type { Command } from 'commander';
import { CliError, type CommandContext } from '../context.ts';
import { positiveInt } from '../options.ts';
import { isLoopbackHost, startServer } from '../../server/http.ts';

export function registerServe(program: Command, ctx: CommandContext): void {
  program
    .command('serve')
    .description('web mode: serve the editor and the engine API to a browser (127.0.0.1 unless --host)')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '7860')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--root <dir>', 'workspace folder: the only place files are read from or written to', '.')
    .option('--open <project>', 'project (relative to the workspace) the printed URL opens')
    .option(
      '--max-trainings <n>',
      'trainings that run at once; more wait their turn (default: one per core, fewer when memory is short)',
      positiveInt('--max-trainings'),
    )
    .action(
      async (opts: { port: string; host: string; root: string; open?: string; maxTrainings?: number }) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new CliError(`--port must be a whole number from 0 to 65535, not "${opts.port}".`, 2);
        if (!isLoopbackHost(opts.host)) {
          ctx.err(
            `warning: listening on ${opts.host}, not 127.0.0.1: anyone who can reach this machine and learns the token can use the engine and the files in ${opts.root}.`,
          );
        }
        let server;
        try {
          server = await startServer({
            root: opts.root,
            host: opts.host,
            port,
            trainingConcurrency: opts.maxTrainings,
          });
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          if (e.code === 'EADDRINUSE')
            throw new CliError(
              `Port ${port} is already in use; pick another with --port (0 picks a free one).`,
              2,
            );
          if (e.code === 'ENOENT' || e.code === 'ENOTDIR')
            throw new CliError(`The workspace folder ${opts.root} does not exist.`, 2);
          throw new CliError(`Cannot start the server: ${e.message}`, 2);
        }
        const open = opts.open ? `&open=${encodeURIComponent(opts.open)}` : '';
        ctx.out(`Netwright is running at ${server.url}${open}`);
        ctx.out('Press Ctrl+C to stop.');
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void server.close().then(resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      },
    );
}
