// The desktop app's main process: one window on the built renderer (app://netwright/), the engine in
// a worker thread, the EngineApi over IPC (electron/ipc.ts), native menu, dialogs, recent documents,
// title with the dirty marker, unsaved-changes prompt, single instance, restored window bounds.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell } from 'electron';
import path from 'node:path';
import { createAccessPolicy } from './access.ts';
import { denyAllPermissions, hardenContents } from './harden.ts';
import {
  EVENT_CHANNEL,
  INVOKE_CHANNEL,
  type BridgeEvent,
  type ExportKind,
  type MenuCommand,
} from './channels.ts';

const FOLDER_DIALOG_TITLES: Record<Exclude<ExportKind, 'onnx'>, string> = {
  tfjs: 'Folder for the TensorFlow.js model',
  pytorch: 'Folder for the PyTorch training package',
  package: 'PyTorch package to import (the folder export --pytorch wrote)',
};
import { createWorkerEngine } from './engine-proxy.ts';
import { installCloseGuard } from './close-guard.ts';
import { createIpcHandlers, type DocumentState } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import { createAppProtocolHandler } from './protocol.ts';
import { claimSingleInstance, PROJECT_SUFFIX, type InstanceHandle } from './single-instance.ts';
import { APP_ENTRY, APP_SCHEME, isTrustedFrame, mainWindowOptions } from './window-options.ts';
import {
  addRecent,
  loadWindowState,
  saveWindowState,
  visibleBounds,
  type WindowState,
} from './window-state.ts';

// Bundled to electron/dist/main.cjs: the app's root is two folders up.
const APP_ROOT = path.resolve(__dirname, '../..');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const instance = claimSingleInstance(app, process.argv, process.cwd());
if (instance) {
  // No remote content anywhere: block navigation, new windows and webviews for every web contents.
  app.on('web-contents-created', (_e, contents) =>
    hardenContents(contents, (url) => void shell.openExternal(url)),
  );
  app.whenReady().then(() => start(instance));
}

async function start(instance: InstanceHandle): Promise<void> {
  session.defaultSession.setPermissionRequestHandler(denyAllPermissions);
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(APP_ROOT, 'renderer/dist')));

  const userData = app.getPath('userData');
  const saved: WindowState = await loadWindowState(userData);
  let recent = saved.recent ?? [];
  const access = await createAccessPolicy(path.join(app.getPath('documents'), 'Netwright'));
  const engine = createWorkerEngine(path.join(__dirname, 'engine-worker.cjs'), {
    env: {
      ...process.env,
      NETWRIGHT_WORKSPACE: access.defaultDir,
      NETWRIGHT_USER_BLOCKS: path.join(userData, 'blocks'),
    },
  });

  const win = new BrowserWindow(
    mainWindowOptions(
      path.join(__dirname, 'preload.cjs'),
      visibleBounds(
        saved.bounds,
        screen.getAllDisplays().map((d) => d.workArea),
      ),
    ),
  );
  if (saved.maximized) win.maximize();
  const send = (event: BridgeEvent) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  };

  const persist = () =>
    void saveWindowState(userData, {
      bounds: win.getNormalBounds(),
      maximized: win.isMaximized(),
      recent,
    }).catch(() => {});
  const rebuildMenu = () => Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions)));
  const showTitle = (doc: DocumentState) => {
    const name = doc.name ?? (doc.path ? path.basename(doc.path, PROJECT_SUFFIX) : 'Untitled');
    win.setTitle(`${doc.dirty ? '• ' : ''}${name} — Netwright`);
    win.setDocumentEdited(doc.dirty);
    if (doc.path) win.setRepresentedFilename(doc.path);
  };

  const handlers = createIpcHandlers(engine, {
    access,
    isTrustedSender: isTrustedFrame,
    initialFile: instance.takeInitialFile(),
    recent: () => recent,
    onRecent: (file) => {
      recent = addRecent(recent, file);
      app.addRecentDocument(file);
      rebuildMenu();
      persist();
    },
    onDocument: showTitle,
    dialogs: {
      async openProject() {
        const r = await dialog.showOpenDialog(win, {
          properties: ['openFile'],
          filters: [{ name: 'Netwright project', extensions: ['netwright.json', 'json'] }],
        });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      async saveProject(suggestedName) {
        const r = await dialog.showSaveDialog(win, {
          defaultPath: path.join(access.defaultDir, suggestedName),
          filters: [{ name: 'Netwright project', extensions: ['netwright.json'] }],
        });
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      async exportModel(kind, suggestedName) {
        if (kind === 'onnx') {
          const r = await dialog.showSaveDialog(win, {
            defaultPath: suggestedName,
            filters: [{ name: 'ONNX model', extensions: ['onnx'] }],
          });
          return r.canceled || !r.filePath ? null : r.filePath;
        }
        const r = await dialog.showOpenDialog(win, {
          title: FOLDER_DIALOG_TITLES[kind],
          properties: kind === 'package' ? ['openDirectory'] : ['openDirectory', 'createDirectory'],
        });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
    },
  });
  ipcMain.handle(INVOKE_CHANNEL, (event, method, args) => handlers.invoke(event, method, args));
  handlers.subscribe(send);

  const toFront = () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  };
  const openFile = (file: string) =>
    void access.grantFile(file).then((real) => {
      send({ kind: 'open-file', path: real });
      toFront();
    });
  instance.attach({ open: openFile, focus: toFront });

  const actions = {
    isMac: process.platform === 'darwin',
    isDev: !app.isPackaged,
    command: (c: MenuCommand) => send({ kind: 'menu', command: c }),
    open: () =>
      void dialog
        .showOpenDialog(win, {
          properties: ['openFile'],
          filters: [{ name: 'Netwright project', extensions: ['netwright.json', 'json'] }],
        })
        .then((r) => !r.canceled && r.filePaths[0] && openFile(r.filePaths[0])),
    openRecent: openFile,
    recent: () => recent,
    about: () =>
      void dialog.showMessageBox(win, {
        type: 'info',
        title: 'About Netwright',
        message: `Netwright ${app.getVersion()}`,
        detail: 'Build neural networks as a node graph; train locally; export verified ONNX.',
      }),
  };
  rebuildMenu();

  installCloseGuard(win, dialog, {
    document: () => handlers.document(),
    requestSave: () => send({ kind: 'menu', command: 'save' }),
  });
  win.on('page-title-updated', (e) => e.preventDefault());
  for (const ev of ['resized', 'moved', 'maximize', 'unmaximize'] as const) win.on(ev as 'resized', persist);
  win.on('closed', () => {
    void engine.close();
    app.quit();
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY);
  showTitle(handlers.document());
}
