// The "unsaved changes" prompt on closing the desktop window (electron/close-guard.ts). No Electron
// binary exists here, so an EventEmitter stands in for the BrowserWindow (its 'close' event with
// preventDefault, and close() emitting it again as Electron does) and a recorder for `dialog`; the
// module under test is the one electron/main.ts installs.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  CANCEL,
  DONT_SAVE,
  installCloseGuard,
  SAVE,
  type PromptOptions,
} from '../../electron/close-guard.ts';
import type { DocumentState } from '../../electron/ipc.ts';

class FakeWindow extends EventEmitter {
  closed = false;
  /** The user clicks the window's close button (or Electron's win.close()). */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.closed = true;
  }
}

function setup(answers: number[], doc: DocumentState, saveTimeoutMs = 200) {
  const win = new FakeWindow();
  const prompts: PromptOptions[] = [];
  const saves: number[] = [];
  installCloseGuard(
    win,
    {
      showMessageBoxSync(w, options) {
        expect(w).toBe(win);
        prompts.push(options);
        return answers.shift() ?? CANCEL;
      },
    },
    { document: () => ({ ...doc }), requestSave: () => saves.push(Date.now()), pollMs: 5, saveTimeoutMs },
  );
  return { win, prompts, saves };
}

describe('unsaved-changes prompt on close', () => {
  it('a clean document closes without asking', () => {
    const { win, prompts } = setup([], { path: '/p/a.netwright.json', name: 'a', dirty: false });
    win.close();
    expect(win.closed).toBe(true);
    expect(prompts).toEqual([]);
  });

  it('names the project and offers Save, Don’t Save and Cancel', () => {
    const { win, prompts } = setup([CANCEL], { path: null, name: 'Iris classifier', dirty: true });
    win.close();
    expect(prompts[0].message).toBe('Save the changes to Iris classifier before closing?');
    expect(prompts[0].buttons).toEqual(['Save', "Don't Save", 'Cancel']);
    expect(prompts[0].cancelId).toBe(CANCEL);
    expect(win.closed).toBe(false);
  });

  it("Don't Save closes at once, losing the changes as the prompt said", () => {
    const { win, saves } = setup([DONT_SAVE], { path: null, name: null, dirty: true });
    win.close();
    expect(win.closed).toBe(true);
    expect(saves).toEqual([]);
  });

  it('Save asks the page to save and closes once the document is clean', async () => {
    const doc = { path: '/p/a.netwright.json', name: 'a', dirty: true };
    const { win, saves } = setup([SAVE], doc);
    win.close();
    expect(saves).toHaveLength(1);
    await sleep(30);
    expect(win.closed).toBe(false); // still saving
    doc.dirty = false; // the page reports the save through host.setDocument
    await sleep(30);
    expect(win.closed).toBe(true);
  });

  it('a save that never completes (its dialog cancelled) leaves the window open, and a later save does not close it', async () => {
    const doc = { path: null, name: null, dirty: true };
    const { win } = setup([SAVE], doc, 40);
    win.close();
    await sleep(80);
    doc.dirty = false;
    await sleep(30);
    expect(win.closed).toBe(false);
  });

  it('closing again while a save is pending asks again instead of waiting twice', async () => {
    const doc = { path: null, name: 'a', dirty: true };
    const { win, prompts } = setup([SAVE, CANCEL], doc);
    win.close();
    win.close();
    expect(prompts).toHaveLength(2);
    doc.dirty = false; // the first save finishes after the user chose Cancel the second time
    await sleep(30);
    expect(win.closed).toBe(false);
  });
});
