// Path containment: keep every file a request names inside one folder (the web-mode workspace root,
// a project's folder for its data). Used by anything that takes a path from a user, a project file
// or a remote caller.
//
// How to use it:
//   const real = await resolveInside(root, requested);   // throws PathOutsideRootError
//   await fs.readFile(real);                              // use the returned path, not the input
//
// What it defeats:
//   - `..` segments (`../../etc/passwd`, `a/../../x`), absolute paths elsewhere (`/etc/passwd`,
//     `C:\Windows`), NUL bytes;
//   - symbolic links (and Windows junctions) inside the root that point out of it, at any level:
//     the longest existing prefix of the path is resolved with realpath and checked again, so a
//     file that does not exist yet (a save target) is checked through its existing parent, and a
//     dangling symlink is followed to where it points (writing through it would create the file there).
// What it does not do:
//   - URL decoding: an HTTP host must decode the URL path once (`%2e%2e` → `..`) before calling it;
//     a JSON argument is taken literally (a file named `%2e%2e` is just a file name).
//   - Close the race between the check and the later open (a local process with the same account
//     swapping a folder for a symlink in between). That attacker can already read the files anyway.
import { readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../api.ts';

/** A path that leaves its allowed folder. Carries EngineErrorData code 'forbidden'. */
export class PathOutsideRootError extends EngineError {
  constructor(requested: string) {
    super({
      code: 'forbidden',
      message: `The path "${printable(requested)}" is outside the allowed folder; only files inside it can be used.`,
    });
  }
}

function printable(p: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = p.replace(/[\u0000-\u001f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/** Lexical check only (no file system access): is `candidate` equal to or below `root`? Both absolute. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  if (rel === '') return true;
  if (path.isAbsolute(rel)) return false; // another drive on Windows
  return rel !== '..' && !rel.startsWith(`..${path.sep}`); // `..foo` is a name inside, not a step up
}

function lexical(root: string, requested: unknown): { absRoot: string; target: string } {
  if (typeof requested !== 'string' || requested.length === 0) {
    throw new EngineError({ code: 'invalid', message: 'A file path must be a non-empty text string.' });
  }
  if (requested.includes('\0')) throw new PathOutsideRootError(requested);
  const absRoot = path.resolve(root);
  const target = path.resolve(absRoot, requested);
  if (!isInside(absRoot, target)) throw new PathOutsideRootError(requested);
  return { absRoot, target };
}

/** Symlink hops followed before giving up (the same limit as Linux's ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * realpath of the longest existing prefix of `target`, with the missing tail appended. A dangling
 * symlink on the way is followed to where it points (writing through it would create the file there).
 */
export async function realpathOfExistingPrefix(target: string): Promise<string> {
  // A few lstat/readlink calls: the synchronous walk is quick and keeps one implementation.
  return realpathOfExistingPrefixSync(target);
}

function realpathOfExistingPrefixSync(target: string): string {
  const tail: string[] = [];
  let current = target;
  for (let hops = 0; ;) {
    try {
      const real = realpathSync.native(current);
      return tail.length ? path.join(real, ...tail.reverse()) : real;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A name too long for the file system cannot exist: like a missing one, it is part of the tail.
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ENAMETOOLONG') throw err;
      let link: string | null;
      try {
        link = readlinkSync(current);
      } catch {
        link = null;
      }
      if (link !== null && hops++ < MAX_LINK_HOPS) {
        current = path.resolve(path.dirname(current), link);
        continue;
      }
      const parent = path.dirname(current);
      if (parent === current) return target;
      tail.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Resolve `requested` (relative to `root`, or absolute) and return its real absolute path, or throw
 * PathOutsideRootError when it — or any symlink on the way — leads outside `root`. The file itself
 * need not exist (save targets), but anything that exists on the path is followed.
 */
export async function resolveInside(root: string, requested: string): Promise<string> {
  return resolveInsideSync(root, requested);
}

/** resolveInside for code paths that cannot await. */
export function resolveInsideSync(root: string, requested: string): string {
  const { absRoot, target } = lexical(root, requested);
  let realRoot = absRoot;
  try {
    realRoot = realpathSync.native(absRoot);
  } catch {
    // A root that does not exist yet contains nothing; the lexical check above stands.
  }
  const realTarget = realpathOfExistingPrefixSync(target);
  if (!isInside(realRoot, realTarget)) throw new PathOutsideRootError(requested);
  return realTarget;
}
