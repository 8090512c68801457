// Serves the built renderer from app://netwright/ with the strict CSP; nothing outside renderer/dist.
// No Electron import (main.ts registers it with protocol.handle).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './window-options.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function createAppProtocolHandler(distDir: string) {
  const root = path.resolve(distDir);
  return async (request: { url: string }): Promise<Response> => {
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    };
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return new Response('Bad request', { status: 400, headers });
    }
    let file = path.resolve(root, '.' + path.posix.normalize('/' + pathname));
    if (!file.startsWith(root + path.sep)) return new Response('Not found', { status: 404, headers });
    if (!path.extname(file)) file = path.join(root, 'index.html');
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        status: 200,
        headers: { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      if (path.basename(file) === 'index.html') {
        return new Response(
          '<!doctype html><meta charset="utf-8"><title>Netwright</title><p>The interface has not been built: run <code>npm run build</code>.</p>',
          {
            status: 200,
            headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' },
          },
        );
      }
      return new Response('Not found', { status: 404, headers });
    }
  };
}
