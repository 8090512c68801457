// Shared by the import tests: the committed fixtures (made by fixtures/make-fixtures.py), a fresh
// folder per test, and a project imported through the real CLI.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { netwright, type CliRun } from '../cli/run-cli.ts';
import { readProjectFile } from '../../engine/project/files.ts';
import type { Project } from '../../engine/project/schema.ts';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const fixture = (name: string): string => path.join(FIXTURES, name);
export const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(name)));

export const freshDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'nw-import-test-'));

export interface CliImport {
  run: CliRun;
  dir: string;
  projectPath: string;
  project: Project;
}

/** `netwright import <fixture> --out <fresh dir>/<name>.netwright.json`, and the project it wrote. */
export async function importWithCli(name: string): Promise<CliImport> {
  const dir = freshDir();
  const projectPath = path.join(dir, `${name.replace(/\.\w+$/, '')}.netwright.json`);
  const run = await netwright('import', fixture(name), '--out', projectPath);
  if (run.code !== 0) throw new Error(`import failed (${run.code}): ${run.stderr}`);
  const read = await readProjectFile(projectPath);
  if (!read.ok) throw new Error(`the imported project does not load: ${JSON.stringify(read)}`);
  return { run, dir, projectPath, project: read.project };
}
