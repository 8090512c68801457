// Web mode's downloads (docs/SECURITY.md, "Web mode"): GET /api/download?path=<workspace path> sends
// an exported model or saved predictions to the browser. The same token (Authorization header, never
// the query string) and Origin checks as every /api call; the path goes through the workspace's
// policy and must name a file of a kind Netwright writes for the user to take away, or an export
// folder (tfjs model, PyTorch package), which is sent as a zip.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { EngineError } from '../engine/api.ts';
import type { Workspace } from './workspace.ts';
import { isExportFolder, zipFolder } from './zip-folder.ts';

/** What exports and predictions are made of: models, weights, tables, package files. */
const DOWNLOADABLE = /\.(onnx|csv|json|bin|npy|py|txt|md|sh)$/i;

function headers(fileName: string, size: number) {
  return {
    'Content-Type': 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': `attachment; filename="${fileName.replace(/[^\w.+-]/g, '_')}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

export async function sendDownload(res: ServerResponse, workspace: Workspace, clientPath: string | null) {
  if (!clientPath)
    throw new EngineError({ code: 'invalid', message: 'Name the file to download with ?path=.' });
  const real = await workspace.resolve(clientPath, 'file to download');
  const stat = await fs.stat(real).catch(() => null);
  if (!stat)
    throw new EngineError({ code: 'not-found', message: `There is no file "${clientPath}" to download.` });
  if (stat.isDirectory()) {
    if (!(await isExportFolder(real)))
      throw new EngineError({
        code: 'forbidden',
        message: `"${clientPath}" is not an exported model folder; only those download as a zip.`,
      });
    const zip = await zipFolder(real, clientPath);
    res.writeHead(200, headers(`${path.basename(real)}.zip`, zip.length));
    res.end(zip);
    return;
  }
  if (!DOWNLOADABLE.test(real) || !stat.isFile())
    throw new EngineError({
      code: 'forbidden',
      message: `"${clientPath}" is not an export or a predictions file; only those can be downloaded.`,
    });
  res.writeHead(200, headers(path.basename(real), stat.size));
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(real);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}
