// Per-user files of the engine: the crash-recovery autosaves (one per editing session) and the listing of project files in a
// workspace folder. The per-user folder is ~/.netwright, or $NETWRIGHT_HOME (tests use a temp dir).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectFromJson } from './load.ts';
import { PROJECT_EXTENSION, writeFileAtomic } from './files.ts';
import type { Project } from './schema.ts';
import { EngineError } from '../api.ts';

export function userHome(): string {
  return process.env.NETWRIGHT_HOME || path.join(os.homedir(), '.netwright');
}

/** The single recovery file of versions before per-session recovery: still read, and discardable. */
export const recoveryFile = () => path.join(userHome(), 'recovery.netwright.json');
/** One recovery file per editing session (a window or browser tab), so sessions never overwrite each other. */
export const recoveryDir = () => path.join(userHome(), 'recovery');
/** The id under which listRecoveries() reports the old single recovery file. */
export const LEGACY_RECOVERY_ID = 'legacy';
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface Recovery {
  project: Project;
  projectPath?: string;
  savedAt: string;
}

/** A recovery and the editing session it belongs to (LEGACY_RECOVERY_ID for the old single file). */
export interface RecoveryEntry extends Recovery {
  id: string;
}

/** The file of a session's recovery; no session id means the old single file. */
function fileOf(sessionId: string | undefined): string {
  if (sessionId === undefined || sessionId === LEGACY_RECOVERY_ID) return recoveryFile();
  if (!SESSION_ID.test(sessionId)) {
    throw new EngineError({
      code: 'invalid',
      message: 'A recovery session id is 1 to 64 letters, digits, "-" or "_".',
    });
  }
  return path.join(recoveryDir(), `${sessionId}${PROJECT_EXTENSION}`);
}

/**
 * Write (or, with null, remove) the recovery of an editing session. Without a session id this is
 * the old single recovery file, which every caller without one shares.
 */
export async function saveRecovery(
  project: Project | null,
  projectPath?: string,
  sessionId?: string,
): Promise<void> {
  const file = fileOf(sessionId);
  if (project === null) {
    await removeRecoveryFile(file);
    return;
  }
  const record: Recovery = {
    project,
    savedAt: new Date().toISOString(),
    ...(projectPath ? { projectPath } : {}),
  };
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(record));
}

/** Remove the recovery listRecoveries() reported under `id` (after a save, or when the user discards it). */
export async function discardRecovery(id: string): Promise<void> {
  await removeRecoveryFile(fileOf(id));
}

async function removeRecoveryFile(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await fs.rm(`${file}.bak`, { force: true });
}

/** A recovery file's content, or null when it is missing or unusable (it is only a safety net). */
async function readRecovery(file: string): Promise<Recovery | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
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

/** Every recovery left behind, newest first: each session's, and the old single file's. */
export async function listRecoveries(): Promise<RecoveryEntry[]> {
  let names: string[] = [];
  try {
    names = await fs.readdir(recoveryDir());
  } catch {
    // No folder yet: no session has autosaved.
  }
  const ids = names
    .filter((n) => n.endsWith(PROJECT_EXTENSION))
    .map((n) => n.slice(0, -PROJECT_EXTENSION.length))
    .filter((id) => SESSION_ID.test(id) && id !== LEGACY_RECOVERY_ID);
  const entries = await Promise.all(
    [LEGACY_RECOVERY_ID, ...ids].map(async (id) => {
      const rec = await readRecovery(fileOf(id));
      return rec ? { id, ...rec } : null;
    }),
  );
  return entries
    .filter((e): e is RecoveryEntry => e !== null)
    .sort((a, b) => Date.parse(b.savedAt) - Date.parse(a.savedAt) || a.id.localeCompare(b.id));
}

/** The newest recovery left behind (see listRecoveries), or null when there is none. */
export async function loadRecovery(): Promise<RecoveryEntry | null> {
  return (await listRecoveries())[0] ?? null;
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
