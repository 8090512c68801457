// The main window's security settings (Electron's security checklist) as plain data, so a test can
// check them without an Electron binary. main.ts passes them to new BrowserWindow() unchanged.
import type { BrowserWindowConstructorOptions } from 'electron';

/** The renderer is served from this private scheme (never file:// or http://), see main.ts. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'netwright';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY } from '../renderer/content-security-policy.ts';

/** True for a URL of the app's own page (and nothing on the web, no file:// page). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** IPC senders the handlers trust: the app's own page in the window's top frame, nothing else. */
export function isTrustedFrame(frame: { url: string; parent?: unknown } | null | undefined): boolean {
  return !!frame && isAppUrl(frame.url) && !frame.parent;
}

export function mainWindowOptions(
  preloadPath: string,
  bounds?: { x?: number; y?: number; width: number; height: number },
): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    ...(bounds?.x !== undefined && bounds?.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Netwright',
    backgroundColor: '#1e1f24',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}
