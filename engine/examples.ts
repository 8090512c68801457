// Example projects shipped in resources/examples/: each `<id>.netwright.json` carries its gallery
// text in a top-level "description" and "scenario" (unknown keys are kept by the format).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExampleInfo } from './api.ts';
import { EngineError } from './api.ts';
import { readProjectFile } from './project/files.ts';
import type { Project } from './project/schema.ts';

export const EXAMPLES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../resources/examples',
);
const SUFFIX = '.netwright.json';

export async function listExamples(): Promise<ExampleInfo[]> {
  const files = (await fs.readdir(EXAMPLES_DIR)).filter((f) => f.endsWith(SUFFIX)).sort();
  const out: ExampleInfo[] = [];
  for (const file of files) {
    const result = await readProjectFile(path.join(EXAMPLES_DIR, file));
    if (!result.ok) continue;
    const p = result.project as Project & { description?: string; scenario?: string };
    out.push({
      id: file.slice(0, -SUFFIX.length),
      name: p.name,
      description: p.description ?? '',
      scenario: p.scenario ?? 'classic',
    });
  }
  return out;
}

export function examplePath(id: string): string {
  if (!/^[a-z0-9-]+$/.test(id))
    throw new EngineError({ code: 'not-found', message: `There is no example called "${id}".` });
  return path.join(EXAMPLES_DIR, id + SUFFIX);
}

export async function loadExample(id: string): Promise<Project> {
  const result = await readProjectFile(examplePath(id));
  if (!result.ok)
    throw new EngineError({ code: 'not-found', message: `There is no example called "${id}".` });
  return result.project;
}

/**
 * The shipped examples are templates, not documents: saving over one would change every later "New
 * from template". Refused with a sentence that says what to do instead.
 */
export async function refuseSavingOverExample(target: string): Promise<void> {
  const [dir, file] = await Promise.all([realOrSelf(EXAMPLES_DIR), realOrSelf(path.dirname(target))]);
  if (path.relative(dir, file) === '')
    throw new EngineError({
      code: 'forbidden',
      message: 'The bundled examples are read-only; save your changes under a new name with Save As.',
    });
}

const realOrSelf = (p: string) => fs.realpath(p).catch(() => path.resolve(p));
