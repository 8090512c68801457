// One running app per user: a second launch hands its project file to the first instance and quits.
// No Electron import: main.ts passes Electron's `app`; test/electron/single-instance.test.ts passes a
// stand-in. Files that arrive before the window exists (argv, macOS open-file, an early second launch)
// wait until the window attaches, so none is dropped.
import path from 'node:path';

export const PROJECT_SUFFIX = '.netwright.json';

interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's `app` the lock uses. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'open-file', listener: (e: PreventableEvent, file: string) => void): unknown;
  on(
    event: 'second-instance',
    listener: (e: unknown, argv: string[], workingDirectory: string) => void,
  ): unknown;
}

/** What the first instance does with a later launch: open its file, or just come to the front. */
export interface InstanceTarget {
  open(file: string): void;
  focus(): void;
}

export interface InstanceHandle {
  /** The file this launch should open first (its own argv or an early open-file), taken once. */
  takeInitialFile(): string | null;
  /** Route later launches to the window; anything that arrived before is handed over now. */
  attach(target: InstanceTarget): void;
}

/**
 * The project file named on a command line (arguments after the executable; flags skipped), made
 * absolute against the launching process's working directory: a second launch may start elsewhere.
 */
export function fileFromArgv(argv: string[], workingDirectory: string): string | null {
  const file = argv.slice(1).find((a) => !a.startsWith('-') && a.toLowerCase().endsWith(PROJECT_SUFFIX));
  return file ? path.resolve(workingDirectory, file) : null;
}

/** Takes the lock; null when another instance holds it (this one has then been told to quit). */
export function claimSingleInstance(
  app: SingleInstanceApp,
  argv: string[],
  workingDirectory: string,
): InstanceHandle | null {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let initial = fileFromArgv(argv, workingDirectory);
  let initialTaken = false;
  let target: InstanceTarget | null = null;
  const waiting: (string | null)[] = [];
  const deliver = (file: string | null) => {
    if (!target) waiting.push(file);
    else if (file) target.open(file);
    else target.focus();
  };

  app.on('open-file', (e, file) => {
    e.preventDefault();
    // macOS sends the launch file this way before the app is ready: it becomes the initial file.
    if (!initialTaken && initial === null) initial = file;
    else deliver(file);
  });
  app.on('second-instance', (_e, otherArgv, otherCwd) => deliver(fileFromArgv(otherArgv, otherCwd)));

  return {
    takeInitialFile() {
      const file = initial;
      initial = null;
      initialTaken = true;
      return file;
    },
    attach(t) {
      target = t;
      for (const file of waiting.splice(0)) deliver(file);
    },
  };
}
