// The application menu as data (File/Edit/View/Train/Help with accelerators). No Electron import:
// main.ts hands the template to Menu.buildFromTemplate; a test can read it.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './channels.ts';

export interface MenuActions {
  command(c: MenuCommand): void;
  open(): void;
  openRecent(file: string): void;
  recent(): string[];
  about(): void;
  isMac: boolean;
  isDev: boolean;
}

export function menuTemplate(a: MenuActions): MenuItemConstructorOptions[] {
  const cmd = (label: string, c: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => a.command(c),
  });
  const recent = a.recent();
  return [
    ...(a.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        cmd('New from Template…', 'new', 'CmdOrCtrl+N'),
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => a.open() },
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((file) => ({ label: file, click: () => a.openRecent(file) }))
            : [{ label: 'No recent projects', enabled: false }],
        },
        { type: 'separator' },
        cmd('Save', 'save', 'CmdOrCtrl+S'),
        cmd('Save As…', 'saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        cmd('Export ONNX…', 'exportOnnx', 'CmdOrCtrl+E'),
        cmd('Export TensorFlow.js…', 'exportTfjs', 'CmdOrCtrl+Shift+E'),
        { type: 'separator' },
        a.isMac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
      ],
    },
    // Undo/redo go to the renderer, which undoes the text of a focused field or else the graph edit
    // (the 'undo' role would only reach text fields, and on macOS its accelerator eats Cmd+Z).
    {
      label: '&Edit',
      submenu: [
        cmd('Undo', 'undo', 'CmdOrCtrl+Z'),
        cmd('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        cmd('Auto Layout', 'layout', 'CmdOrCtrl+L'),
        cmd('Fit View', 'fit'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(a.isDev ? [{ role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      label: '&Train',
      submenu: [cmd('Train', 'train', 'CmdOrCtrl+Enter'), cmd('Stop', 'stop', 'CmdOrCtrl+.')],
    },
    {
      role: 'help',
      submenu: [
        cmd('Keyboard Shortcuts', 'shortcuts', 'CmdOrCtrl+/'),
        { label: 'About Netwright', click: () => a.about() },
      ],
    },
  ];
}
