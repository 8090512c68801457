// Web mode's downloads (docs/SECURITY.md, "Web mode"): GET /api/download?path=<workspace path> sends
// an exported model or saved predictions to the browser. The same token (Authorization header, never
// the query string) and Origin checks as every /api call; the path goes through the workspace's
// policy and must name a file of a kind Netwright writes for the user to take away.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { EngineError } from '../engine/api.ts';
import type { Workspace } from './workspace.ts';

/** What exports and predictions are made of: models, weights, tables, package files. */
const DOWNLOADABLE = /\.(onnx|csv|json|bin|npy|py|txt|md|sh)$/i;

export async function sendDownload(res: ServerResponse, workspace: Workspace, clientPath: string | null) {
  if (!clientPath)
    throw new EngineError({ code: 'invalid', message: 'Name the file to download with ?path=.' });
  const real = await workspace.resolve(clientPath, 'file to download');
  if (!DOWNLOADABLE.test(real))
    throw new EngineError({
      code: 'forbidden',
      message: `"${clientPath}" is not an export or a predictions file; only those can be downloaded.`,
    });
  const stat = await fs.stat(real).catch(() => null);
  if (!stat?.isFile())
    throw new EngineError({ code: 'not-found', message: `There is no file "${clientPath}" to download.` });
  const name = path.basename(real).replace(/[^\w.+-]/g, '_');
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': stat.size,
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(real);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}
