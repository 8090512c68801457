// One folder of the workspace as the file picker shows it (docs/ARCHITECTURE.md, "Workspace file
// picker"): sub-folders and the files Netwright can use, each with what it is (a CSV, an image folder
// with one sub-folder per class, an image, an ONNX or tfjs model, a project). The host decides which
// folder may be listed and drops every entry that leads outside what the client may use
// (engine/api-methods.ts); this module only reads and classifies.
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import type { FolderEntry, FolderEntryKind } from '../api.ts';
import { isInside } from '../safety/paths.ts';

/** Entries listed per folder; a bigger folder is cut off and says so (`truncated`). */
export const MAX_FOLDER_ENTRIES = 2000;
/** Class sub-folders looked into when deciding whether a folder is an image folder. */
const CLASS_FOLDERS_PROBED = 4;
/** Names looked at per class folder for an image file. */
const NAMES_PROBED = 200;

const IMAGE_FILE = /\.(png|jpe?g)$/i;
const TABLE_FILE = /\.(csv|tsv)$/i;

export function fileKind(name: string): FolderEntryKind | null {
  if (name.endsWith('.netwright.json')) return 'project';
  if (name === 'model.json') return 'tfjs-model';
  if (/\.onnx$/i.test(name)) return 'onnx';
  if (TABLE_FILE.test(name)) return 'csv';
  if (IMAGE_FILE.test(name)) return 'image';
  return null;
}

async function readdir(dir: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Is `dir/name` (after links) a folder, a file, or neither? */
async function typeOf(dir: string, entry: Dirent): Promise<'dir' | 'file' | null> {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return null;
  try {
    const stat = await fs.stat(path.join(dir, entry.name));
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : null;
  } catch {
    return null; // a dangling link
  }
}

/** A folder with class sub-folders holding images (images:<folder>, docs/DATA.md). */
async function isImageFolder(dir: string): Promise<boolean> {
  const classes = (await readdir(dir)).filter((e) => !e.name.startsWith('.') && e.isDirectory());
  for (const c of classes.slice(0, CLASS_FOLDERS_PROBED)) {
    const names = await readdir(path.join(dir, c.name));
    if (names.slice(0, NAMES_PROBED).some((n) => IMAGE_FILE.test(n.name))) return true;
  }
  return false;
}

/** Where an entry really is, or null when it cannot be resolved (a dangling or looping link). */
async function realOf(full: string): Promise<string | null> {
  try {
    return await fs.realpath(full);
  } catch {
    return null;
  }
}

/**
 * The entries of `dir` (absolute), folders first, then files, each group by name; hidden names
 * skipped. With `within`, an entry whose real path (links followed) is in none of those folders is
 * left out before anything looks into it.
 */
export async function listFolder(
  dir: string,
  within?: string[],
): Promise<{ entries: FolderEntry[]; truncated: boolean }> {
  const raw = (await readdir(dir))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => a.name.localeCompare(b.name));
  const folders: FolderEntry[] = [];
  const files: FolderEntry[] = [];
  let truncated = false;
  for (const entry of raw) {
    if (folders.length + files.length >= MAX_FOLDER_ENTRIES) {
      truncated = true;
      break;
    }
    const full = path.join(dir, entry.name);
    if (within && entry.isSymbolicLink()) {
      const real = await realOf(full);
      if (!real || !within.some((root) => isInside(root, real))) continue;
    }
    const type = await typeOf(dir, entry);
    if (type === 'dir') {
      folders.push({
        name: entry.name,
        path: full,
        kind: (await isImageFolder(full)) ? 'image-folder' : 'folder',
      });
    } else if (type === 'file') {
      const kind = fileKind(entry.name);
      if (kind) files.push({ name: entry.name, path: full, kind });
    }
  }
  return { entries: [...folders, ...files], truncated };
}
