// Shared by commands that take a project file: read it or fail with exit 2 / 1 and clear sentences.
import { readProjectFile, type ReadResult } from '../engine/project/files.ts';
import type { Project } from '../engine/project/schema.ts';
import { CliError, type CommandContext } from './context.ts';

export async function loadProjectOrExit(file: string, ctx: CommandContext): Promise<Project> {
  return projectOrExit(file, await readProjectFile(file), ctx);
}

/** The project of an already-read `file`, or the same failures as loadProjectOrExit. */
export function projectOrExit(file: string, result: ReadResult, ctx: CommandContext): Project {
  if (result.ok) return result.project;
  if ('unreadable' in result) throw new CliError(result.unreadable, 2);
  // A version this build can't read (newer, or no migration) is unreadable input, not an invalid graph.
  const version = result.problems.find((p) => p.path === 'version');
  if (version) throw new CliError(`${file}: ${version.message}`, 2);
  for (const p of result.problems) ctx.err(`${file}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  throw new CliError(
    `${file} is not a valid project (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}).`,
    1,
  );
}
