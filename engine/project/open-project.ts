// EngineApi.openProject's work: a project file read and validated, its problems as EngineError.
import { EngineError } from '../api.ts';
import { readProjectFile } from './files.ts';
import type { Project } from './schema.ts';

export async function openProjectFile(path: string): Promise<Project> {
  const result = await readProjectFile(path);
  if (result.ok) return result.project;
  if ('unreadable' in result) throw new EngineError({ code: 'unreadable', message: result.unreadable });
  throw new EngineError({
    code: 'invalid',
    message: `${path} is not a valid project: ${result.problems[0].message}`,
    problems: result.problems,
  });
}
