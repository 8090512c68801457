// An export folder (a tfjs model, a PyTorch package) as one zip for web mode's downloads. Only the
// folder's own regular files go in: links are skipped (one could point outside the workspace), and a
// folder above the size limit is refused rather than held in memory.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { EngineError } from '../engine/api.ts';

/** Bytes of files one zip may hold (it is built in memory). */
export const MAX_ZIP_BYTES = 512 * 1024 * 1024;

/** A folder Netwright wrote as an export: a tfjs model or a PyTorch package. */
export async function isExportFolder(dir: string): Promise<boolean> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.includes('model.json') || names.includes('model.py');
}

export async function zipFolder(dir: string, clientName: string): Promise<Buffer> {
  const zip = new AdmZip();
  let total = 0;
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(full, name);
      else if (entry.isFile()) {
        total += (await fs.stat(full)).size;
        if (total > MAX_ZIP_BYTES)
          throw new EngineError({
            code: 'invalid',
            message: `"${clientName}" holds more than ${MAX_ZIP_BYTES / 1024 / 1024} MB; copy it from the server instead of downloading it.`,
          });
        zip.addFile(name, await fs.readFile(full));
      }
    }
  };
  await walk(dir, '');
  return zip.toBufferPromise();
}
