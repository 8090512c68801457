// The single-instance lock of the desktop app (electron/single-instance.ts). No Electron binary exists
// here, so an EventEmitter stands in for Electron's `app` (same event names and arguments); the module
// under test is the one electron/main.ts runs.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimSingleInstance, fileFromArgv } from '../../electron/single-instance.ts';

class FakeApp extends EventEmitter {
  quitCalled = false;
  constructor(private readonly lockFree: boolean) {
    super();
  }
  requestSingleInstanceLock() {
    return this.lockFree;
  }
  quit() {
    this.quitCalled = true;
  }
  /** What Electron does in the first instance when the user launches the app again. */
  launchAgain(argv: string[], cwd: string) {
    this.emit('second-instance', {}, argv, cwd);
  }
  /** macOS: a file double-clicked in Finder. */
  openFile(file: string) {
    let prevented = false;
    this.emit('open-file', { preventDefault: () => (prevented = true) }, file);
    return prevented;
  }
}

const EXE = '/opt/Netwright/netwright';
const recorder = () => {
  const log: string[] = [];
  return { log, target: { open: (f: string) => log.push(`open ${f}`), focus: () => log.push('focus') } };
};

describe('single-instance lock', () => {
  it('a second instance quits without opening anything', () => {
    const app = new FakeApp(false);
    expect(claimSingleInstance(app, [EXE, 'a.netwright.json'], '/home/u')).toBeNull();
    expect(app.quitCalled).toBe(true);
    expect(app.listenerCount('second-instance')).toBe(0);
  });

  it('the first instance opens its own argv file first', () => {
    const app = new FakeApp(true);
    const handle = claimSingleInstance(app, [EXE, '--no-sandbox', 'models/iris.netwright.json'], '/home/u')!;
    expect(app.quitCalled).toBe(false);
    expect(handle.takeInitialFile()).toBe(path.resolve('/home/u/models/iris.netwright.json'));
    expect(handle.takeInitialFile()).toBeNull();
  });

  it("a second launch's file opens in the first window, resolved against the second launch's folder", () => {
    const app = new FakeApp(true);
    const handle = claimSingleInstance(app, [EXE], '/home/u')!;
    expect(handle.takeInitialFile()).toBeNull();
    const { log, target } = recorder();
    handle.attach(target);
    app.launchAgain([EXE, 'mnist.netwright.json'], '/tmp/elsewhere');
    app.launchAgain([EXE], '/tmp/elsewhere');
    expect(log).toEqual([`open ${path.resolve('/tmp/elsewhere/mnist.netwright.json')}`, 'focus']);
  });

  it('launches that arrive before the window exists are delivered when it attaches, none dropped', () => {
    const app = new FakeApp(true);
    const handle = claimSingleInstance(app, [EXE, '/p/first.netwright.json'], '/')!;
    app.launchAgain([EXE, '/p/second.netwright.json'], '/');
    expect(handle.takeInitialFile()).toBe('/p/first.netwright.json');
    const { log, target } = recorder();
    handle.attach(target);
    expect(log).toEqual(['open /p/second.netwright.json']);
  });

  it('macOS open-file before ready becomes the initial file; later ones open in the window', () => {
    const app = new FakeApp(true);
    const handle = claimSingleInstance(app, [EXE], '/')!;
    expect(app.openFile('/Users/u/a.netwright.json')).toBe(true);
    expect(handle.takeInitialFile()).toBe('/Users/u/a.netwright.json');
    const { log, target } = recorder();
    handle.attach(target);
    app.openFile('/Users/u/b.netwright.json');
    expect(log).toEqual(['open /Users/u/b.netwright.json']);
  });

  it('reads only project files from a command line, skipping flags and the executable', () => {
    expect(fileFromArgv([EXE, '--inspect', 'notes.txt'], '/x')).toBeNull();
    expect(fileFromArgv(['/x/model.netwright.json'], '/x')).toBeNull();
    expect(fileFromArgv([EXE, 'C.NETWRIGHT.JSON'], '/x')).toBe(path.resolve('/x/C.NETWRIGHT.JSON'));
  });
});
