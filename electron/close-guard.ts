// The "unsaved changes" prompt on closing the window. No Electron import: main.ts passes the window
// and Electron's `dialog`; test/electron/close-guard.test.ts passes stand-ins.
// "Save" asks the page to save (it may show a save dialog first) and closes once the document is
// clean; "Don't Save" closes; "Cancel" keeps the window. A save that never completes (the user
// cancelled its dialog) leaves the window open.
import type { DocumentState } from './ipc.ts';

interface PreventableEvent {
  preventDefault(): void;
}

export interface GuardedWindow {
  on(event: 'close', listener: (e: PreventableEvent) => void): unknown;
  close(): void;
}

export interface PromptOptions {
  type: 'warning';
  buttons: string[];
  defaultId: number;
  cancelId: number;
  message: string;
  detail: string;
}

/** The part of Electron's `dialog` the guard uses; returns the index of the chosen button. */
export interface PromptDialog<W> {
  showMessageBoxSync(win: W, options: PromptOptions): number;
}

export interface CloseGuardOptions {
  document(): DocumentState;
  /** Ask the page to save (the File ▸ Save menu command). */
  requestSave(): void;
  /** How often to look whether the save finished, and for how long. */
  pollMs?: number;
  saveTimeoutMs?: number;
}

export const SAVE = 0;
export const DONT_SAVE = 1;
export const CANCEL = 2;

export function closePrompt(doc: DocumentState): PromptOptions {
  return {
    type: 'warning',
    buttons: ['Save', "Don't Save", 'Cancel'],
    defaultId: SAVE,
    cancelId: CANCEL,
    message: `Save the changes to ${doc.name ?? 'this project'} before closing?`,
    detail: "If you don't save, your changes will be lost.",
  };
}

export function installCloseGuard<W extends GuardedWindow>(
  win: W,
  dialog: PromptDialog<W>,
  options: CloseGuardOptions,
): void {
  const { pollMs = 200, saveTimeoutMs = 60_000 } = options;
  let closing = false;
  let waiting: ReturnType<typeof setInterval> | null = null;
  const stopWaiting = () => {
    if (waiting) clearInterval(waiting);
    waiting = null;
  };
  const closeNow = () => {
    stopWaiting();
    closing = true;
    win.close();
  };

  win.on('close', (e) => {
    const doc = options.document();
    if (closing || !doc.dirty) return;
    e.preventDefault();
    // A second close while a save is pending asks again rather than stacking another wait.
    stopWaiting();
    const choice = dialog.showMessageBoxSync(win, closePrompt(doc));
    if (choice === DONT_SAVE) closeNow();
    else if (choice === SAVE) {
      options.requestSave();
      const started = Date.now();
      waiting = setInterval(() => {
        if (!options.document().dirty) closeNow();
        else if (Date.now() - started > saveTimeoutMs) stopWaiting();
      }, pollMs);
    }
  });
}
