// What every CLI command gets: output streams, the exit code to return, the --debug flag.
export interface CommandContext {
  exitCode: number;
  out(line: string): void;
  err(line: string): void;
  debug: boolean;
}

/** A user-facing failure: `message` is printed as is, `exitCode` is 1 (invalid) or 2 (unreadable). */
export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}
