// Per-user files of the engine: the crash-recovery autosave and the listing of project files in a
// workspace folder. The per-user folder is ~/.netwright, or $NETWRIGHT_HOME (tests use a temp dir).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectFromJson } from './load.ts';
import { PROJECT_EXTENSION, writeFileAtomic } from './files.ts';
import type { Project } from './schema.ts';

export function userHome(): string {
  return process.env.NETWRIGHT_HOME || path.join(os.homedir(), '.netwright');
}

export const recoveryFile = () => path.join(userHome(), 'recovery.netwright.json');

export interface Recovery {
  project: Project;
  projectPath?: string;
  savedAt: string;
}

/** Write (or, with null, remove) the recovery file. */
export async function saveRecovery(project: Project | null, projectPath?: string): Promise<void> {
  const file = recoveryFile();
  if (project === null) {
    await fs.rm(file, { force: true });
    await fs.rm(`${file}.bak`, { force: true });
    return;
  }
  const record: Recovery = {
    project,
    savedAt: new Date().toISOString(),
    ...(projectPath ? { projectPath } : {}),
  };
  await writeFileAtomic(file, JSON.stringify(record));
}

/** The recovery left behind, or null when there is none or it is unusable (it is only a safety net). */
export async function loadRecovery(): Promise<Recovery | null> {
  let text: string;
  try {
    text = await fs.readFile(recoveryFile(), 'utf8');
  } catch {
    return null;
  }
  try {
    const raw = JSON.parse(text) as { project?: unknown; projectPath?: unknown; savedAt?: unknown };
    const checked = projectFromJson(raw.project);
    if (!checked.ok) return null;
    return {
      project: checked.project,
      savedAt: typeof raw.savedAt === 'string' ? raw.savedAt : new Date(0).toISOString(),
      ...(typeof raw.projectPath === 'string' ? { projectPath: raw.projectPath } : {}),
    };
  } catch {
    return null;
  }
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'out']);
const MAX_DEPTH = 6;
const MAX_FILES = 2000;

/** Project files under `root` (relative paths with forward slashes, sorted), skipping hidden and build folders. */
export async function listProjectFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= MAX_FILES) return;
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(full, depth + 1);
      } else if (e.isFile() && e.name.endsWith(PROJECT_EXTENSION)) {
        found.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  };
  await walk(root, 0);
  return found.sort();
}
