// Locks down every web contents of the app: no navigation away from the app's own page, no new
// windows (https links go to the system browser), no <webview>, no permission prompts granted.
// No Electron import: main.ts applies it to each web contents; a test drives it with a stand-in.
import { isAppUrl } from './window-options.ts';

interface PreventableEvent {
  preventDefault(): void;
}
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (e: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function hardenContents(contents: HardenableContents, openExternal: (url: string) => void): void {
  const stayInApp = (e: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) e.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** Permission requests (camera, notifications, geolocation…): the app needs none. */
export const denyAllPermissions = (_wc: unknown, _permission: string, callback: (granted: boolean) => void) =>
  callback(false);
