// The one place that turns what went wrong into the CLI's exit code (docs/ARCHITECTURE.md, "CLI"): 1 when the input
// was read but is invalid, 2 when it can't be found, read or parsed at all. train, evaluate,
// predict and export all map their failures through here.
import { EngineError } from '../engine/api.ts';
import { DataError } from '../engine/data/types.ts';
import { RunReadError } from '../engine/runs/run-dir.ts';
import type { FailureKind } from '../engine/train/train-project.ts';
import { CliError } from './context.ts';

/** A run the user stopped with Ctrl-C (SIGINT): 128 + 2, as shells report an interrupted command. */
export const EXIT_INTERRUPTED = 130;

/** unreadable → 2; invalid (and anything else that reached the user as one sentence) → 1. */
export function exitCodeFor(kind: FailureKind | undefined): 1 | 2 {
  return kind === 'unreadable' ? 2 : 1;
}

/** Whose problem a user-facing engine error is, or undefined when it is not one (a bug). */
export function failureKindOf(err: unknown): Exclude<FailureKind, 'internal'> | undefined {
  if (err instanceof RunReadError) return 'unreadable';
  if (err instanceof DataError) return err.kind;
  if (err instanceof EngineError) return err.data.code === 'invalid' ? 'invalid' : 'unreadable';
  return undefined;
}

/** Rethrows a user-facing engine error as a CliError with its exit code; anything else as it is. */
export function cliErrorFrom(err: unknown): never {
  const kind = failureKindOf(err);
  if (kind === undefined) throw err;
  throw new CliError((err as Error).message, exitCodeFor(kind));
}
