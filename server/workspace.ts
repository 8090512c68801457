// The workspace folder of web mode: every path a client names is relative to it, and anything that
// resolves outside it (.., an absolute path elsewhere, a symlink pointing out) is refused with
// 'forbidden'. Results going back to the client are made relative to it again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../engine/api.ts';

export interface Workspace {
  /** Real (symlink-free) absolute path of the workspace folder. */
  readonly root: string;
  /** Absolute real path of a client path, or EngineError 'forbidden' when it leaves the workspace. */
  resolve(clientPath: string, what?: string): Promise<string>;
  /** The client's view of an absolute path: relative to the root (forward slashes). */
  toClient(absolutePath: string): string;
}

const forbidden = (clientPath: string, what: string) =>
  new EngineError({ code: 'forbidden', message: `The ${what} "${clientPath}" is outside the workspace folder.` });

const inside = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** realpath of the longest existing ancestor, with the missing tail appended (for files not yet written). */
async function realpathAllowingMissing(p: string): Promise<string> {
  const tail: string[] = [];
  let cur = p;
  for (;;) {
    try {
      const real = await fs.realpath(cur);
      return path.join(real, ...tail.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      tail.push(path.basename(cur));
      cur = parent;
    }
  }
}

export async function openWorkspace(rootDir: string): Promise<Workspace> {
  const root = await fs.realpath(path.resolve(rootDir));
  const stat = await fs.stat(root);
  if (!stat.isDirectory()) throw new Error(`${rootDir} is not a folder.`);
  return {
    root,
    async resolve(clientPath, what = 'path') {
      if (typeof clientPath !== 'string' || clientPath.length === 0 || clientPath.includes('\0')) {
        throw new EngineError({ code: 'invalid', message: `The ${what} must be a non-empty path.` });
      }
      const lexical = path.resolve(root, clientPath);
      if (!inside(root, lexical)) throw forbidden(clientPath, what);
      const real = await realpathAllowingMissing(lexical);
      if (!inside(root, real)) throw forbidden(clientPath, what);
      return real;
    },
    toClient(absolutePath) {
      const rel = path.relative(root, absolutePath);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return absolutePath;
      return rel.split(path.sep).join('/') || '.';
    },
  };
}
