// Web mode: take a file the engine wrote in the workspace (an export, saved predictions) to the
// user's Downloads. The page fetches it from `netwright serve` with the token in the header (a link
// could only carry it in the URL, which the server refuses) and hands the bytes to the browser.
import type { EngineErrorData } from '../../../engine/api.ts';
import { EngineCallError, TOKEN_KEY } from './client.ts';

/** Downloads exist only in web mode; the desktop app's files are already on the user's disk. */
export const canDownload = () => typeof window !== 'undefined' && !window.netwright;

export async function downloadWorkspaceFile(path: string): Promise<void> {
  const base = new URL('.', window.location.href);
  const response = await fetch(new URL(`api/download?path=${encodeURIComponent(path)}`, base), {
    headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}` },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: EngineErrorData } | null;
    throw new EngineCallError(
      body?.error ?? { code: 'internal', message: `The server answered ${response.status} to the download.` },
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  // The server names it (a folder comes as <name>.zip).
  const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
  link.download = named ?? (path.split(/[\\/]/).pop() || 'download');
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: the browser reads the blob after the click returns (FileSaver's rule).
  setTimeout(() => URL.revokeObjectURL(url), 40_000);
}
