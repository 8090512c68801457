// The workspace folder of web mode: every path a client names is relative to it, and anything that
// resolves outside it (.., an absolute path elsewhere, a symlink pointing out) is refused with
// 'forbidden'. Results going back to the client are made relative to it again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../engine/api.ts';
import { PathOutsideRootError, isInside, resolveInside } from '../engine/safety/paths.ts';
import { assertClientPath } from '../engine/api-methods.ts';

export interface Workspace {
  /** Real (symlink-free) absolute path of the workspace folder. */
  readonly root: string;
  /** Absolute real path of a client path, or EngineError 'forbidden' when it leaves the workspace. */
  resolve(clientPath: string, what?: string): Promise<string>;
  /** The client's view of an absolute path: relative to the root (forward slashes). */
  toClient(absolutePath: string): string;
  /** A sentence with every mention of the workspace's own location made relative. */
  toClientText(message: string): string;
  /** The folders the client may use: the workspace alone. */
  roots(): string[];
}

const forbidden = (clientPath: string, what: string) =>
  new EngineError({
    code: 'forbidden',
    message: `The ${what} "${clientPath}" is outside the workspace folder.`,
  });

export async function openWorkspace(rootDir: string): Promise<Workspace> {
  const root = await fs.realpath(path.resolve(rootDir));
  const stat = await fs.stat(root);
  if (!stat.isDirectory()) throw new Error(`${rootDir} is not a folder.`);
  return {
    root,
    async resolve(clientPath, what = 'path') {
      assertClientPath(clientPath, what);
      // resolveInside also follows dangling symlinks (a save through one would land outside).
      try {
        return await resolveInside(root, clientPath);
      } catch (err) {
        if (err instanceof PathOutsideRootError) throw forbidden(clientPath, what);
        throw err;
      }
    },
    toClient(absolutePath) {
      if (!isInside(root, absolutePath)) return absolutePath;
      return path.relative(root, absolutePath).split(path.sep).join('/') || '.';
    },
    roots: () => [root],
    toClientText(message) {
      return message
        .split(root + path.sep)
        .join('')
        .split(root)
        .join('.');
    },
  };
}
