// What the desktop app's renderer may touch on disk: the files the user chose in a dialog (or opened
// from the OS), their folders (the project's own folder: data, runs, exports beside it), and the
// app's default projects folder. Anything else is refused with 'forbidden'. No Electron import.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../engine/api.ts';
import { isInside, realpathOfExistingPrefix } from '../engine/safety/paths.ts';
import { assertClientPath, type PathPolicy } from '../engine/api-methods.ts';

export interface AccessPolicy extends PathPolicy {
  /** Allow a file the user chose (and the folder it is in). */
  grantFile(file: string): Promise<string>;
  /** Allow a folder the user chose (export target). */
  grantFolder(dir: string): Promise<string>;
  /** The folders currently allowed (real paths). */
  folders(): string[];
  /** Folder relative paths resolve against. */
  readonly defaultDir: string;
}

export async function createAccessPolicy(defaultDir: string): Promise<AccessPolicy> {
  await fs.mkdir(defaultDir, { recursive: true });
  const base = await fs.realpath(defaultDir);
  const allowed = new Set<string>([base]);
  const policy: AccessPolicy = {
    defaultDir: base,
    async grantFile(file) {
      const real = await realpathOfExistingPrefix(path.resolve(file));
      allowed.add(path.dirname(real));
      return real;
    },
    async grantFolder(dir) {
      const real = await realpathOfExistingPrefix(path.resolve(dir));
      allowed.add(real);
      return real;
    },
    folders: () => [...allowed],
    roots: () => [...allowed],
    async resolve(clientPath, what) {
      assertClientPath(clientPath, what);
      // realpath with a missing tail allowed; dangling symlinks are followed to where they point.
      const real = await realpathOfExistingPrefix(path.resolve(base, clientPath));
      for (const root of allowed) if (isInside(root, real)) return real;
      throw new EngineError({
        code: 'forbidden',
        message: `The ${what} "${clientPath}" is outside the folders you opened; choose it with File › Open or Save As.`,
      });
    },
    toClient: (p) => p,
    // The desktop user chose these files and sees their full paths anyway.
    toClientText: (message) => message,
  };
  return policy;
}
