// Reading and atomically writing project files on disk (Node only).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { projectFromText, projectToText, type LoadResult } from './load.ts';
import type { Project } from './schema.ts';
import { MAX_PROJECT_BYTES } from './document-limits.ts';

export const PROJECT_EXTENSION = '.netwright.json';

export type ReadResult = LoadResult | { ok: false; unreadable: string };

/** Read and validate a project file. `unreadable` means the file could not be read or parsed at all. */
export async function readProjectFile(file: string): Promise<ReadResult> {
  let buf: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) return { ok: false, unreadable: `${file} is a folder, not a project file.` };
    if (stat.size > MAX_PROJECT_BYTES) {
      return {
        ok: false,
        unreadable: `${file} is ${Math.round(stat.size / 1e6)} MB; project files are limited to 64 MB.`,
      };
    }
    buf = await fs.readFile(file);
  } catch (err) {
    return { ok: false, unreadable: fileErrorSentence(err, file, 'read') };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return { ok: false, unreadable: `${file} is not UTF-8 text; a project file is UTF-8 JSON.` };
  }
  const result = projectFromText(text.replace(/^\uFEFF/, ''));
  if (!result.ok && result.problems.length === 1 && result.problems[0].path === '') {
    return { ok: false, unreadable: `${file}: ${result.problems[0].message}` };
  }
  return result;
}

/** One sentence for a failed read or write of `file` (an errno code, never a stack). */
export function fileErrorSentence(err: unknown, file: string, action: 'read' | 'save'): string {
  const code = (err as NodeJS.ErrnoException).code;
  const name = path.basename(file);
  switch (code) {
    case 'ENOENT':
      return action === 'read'
        ? `Cannot find ${file}.`
        : `Cannot save ${file}: its folder cannot be created.`;
    case 'EACCES':
    case 'EPERM':
      return `Permission denied ${action === 'read' ? 'reading' : 'saving'} ${file}.`;
    case 'ENAMETOOLONG':
      return `Cannot ${action} ${name.length > 60 ? `${name.slice(0, 40)}…` : file}: the file name or path is too long (${Buffer.byteLength(name)} bytes in the name, ${Buffer.byteLength(file)} in the path; most file systems allow 255 and 4,096).`;
    case 'ENOTDIR':
      return `Cannot ${action} ${file}: a part of its path is a file, not a folder.`;
    case 'EISDIR':
      return `Cannot ${action} ${file}: it is a folder.`;
    case 'ENOSPC':
      return `Cannot save ${file}: the disk is full.`;
    case 'EROFS':
      return `Cannot save ${file}: the disk is read-only.`;
    case 'ELOOP':
      return `Cannot ${action} ${file}: its path has too many symbolic links.`;
    default:
      return `Cannot ${action} ${file} (${code ?? 'unexpected error'}).`;
  }
}

/** The base of temp names: long enough to recognise, short enough that `.<base>.<pid>.<hex>.bak.tmp` fits in 255 bytes. */
const tempBase = (file: string) => {
  const base = path.basename(file);
  return Buffer.byteLength(base) > 180 ? base.slice(0, 60) : base;
};

/**
 * Atomic write: temp file in the same folder, fsync, keep the previous version as `<file>.bak`
 * (unless `backup` is false), then rename over the target. A crash at any point leaves either the old
 * or the new file whole. `data` may be a function that writes the content piece by piece (a
 * streamed predict); if it throws, the temp file is removed and the target left as it was.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array | ((handle: fs.FileHandle) => Promise<void>),
  { backup = true }: { backup?: boolean } = {},
): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, tempBase(file));
  const unique = `${process.pid}.${randomBytes(6).toString('hex')}`;
  const tmp = path.join(dir, `.${tempBase(file)}.${unique}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    if (typeof data === 'function') await data(handle);
    else await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  // The backup is made whole under a temp name and renamed into place, so a crash never leaves a
  // torn `.bak` (a plain copyFile onto it did). A hard link shares the already-synced old file for
  // free; file systems without links (FAT, some network shares) get a copy.
  if (backup) {
    const bakTmp = path.join(dir, `.${tempBase(file)}.${unique}.bak.tmp`);
    try {
      await fs.link(file, bakTmp).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') throw err;
        await fs.copyFile(file, bakTmp);
      });
      await fs.rename(bakTmp, `${file}.bak`);
    } catch (err) {
      await fs.rm(bakTmp, { force: true });
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        await fs.rm(tmp, { force: true });
        throw err;
      }
    }
  }
  await fs.rename(tmp, file);
  try {
    const dirHandle = await fs.open(dir, 'r');
    await dirHandle.sync().finally(() => dirHandle.close());
  } catch {
    // Directory fsync is not supported on every platform (Windows); the rename is still atomic.
  }
}

/** Temp files of a live process older than this were left by a save that hung or whose pid was reused. */
export const STALE_TEMP_MS = 60 * 60 * 1000;

/** Is process `pid` running on this machine? (A temp file names the pid of the save that made it.) */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Remove the `.<name>.<pid>.<hex>[.bak].tmp` leftovers of killed saves of this file: at once when
 * their process is gone, after STALE_TEMP_MS when it still runs (they may be in flight).
 */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-f]+(\.bak)?\.tmp$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const full = path.join(dir, name);
    try {
      const pid = Number(m[1]);
      const orphan = pid !== process.pid && !processAlive(pid);
      if (orphan || now - (await fs.stat(full)).mtimeMs > STALE_TEMP_MS) await fs.rm(full, { force: true });
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
}

export async function writeProjectFile(file: string, project: Project): Promise<void> {
  await writeFileAtomic(file, projectToText(project));
}
