// What crosses the preload bridge (no Electron import: shared by main, preload and tests).
//   renderer → main: ipcRenderer.invoke(INVOKE_CHANNEL, method, args) → IpcReply
//   main → renderer: webContents.send(EVENT_CHANNEL, EngineEvent | HostEvent)
import type { EngineErrorData, EngineEvent } from '../engine/api.ts';

export const INVOKE_CHANNEL = 'netwright:invoke';
export const EVENT_CHANNEL = 'netwright:event';

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: EngineErrorData };

/**
 * Desktop-only calls, beside the EngineApi methods, through the same invoke():
 *   host.openDialog()                          → absolute path the user chose, or null
 *   host.saveDialog(suggestedName?)            → absolute path, or null
 *   host.exportDialog(kind, name?)              → absolute file (onnx) or folder (tfjs, pytorch, package), or null
 *   host.setDocument({ path?, name?, dirty })  → window title, dirty marker, close prompt
 *   host.initialFile()                         → the project the app was launched with, or null
 * A path the user chose in a dialog (and its folder) may then be used by the engine methods.
 */
/** What an export dialog picks: an ONNX file; a folder for a tfjs model or a new PyTorch package; a PyTorch package to import. */
export const EXPORT_KINDS = ['onnx', 'tfjs', 'pytorch', 'package'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const HOST_METHODS = [
  'host.openDialog',
  'host.saveDialog',
  'host.exportDialog',
  'host.setDocument',
  'host.initialFile',
] as const;

/** Commands from the application menu (and files opened from outside), sent on EVENT_CHANNEL. */
export type MenuCommand =
  | 'new'
  | 'open'
  | 'save'
  | 'saveAs'
  | 'undo'
  | 'redo'
  | 'layout'
  | 'fit'
  | 'train'
  | 'stop'
  | 'exportOnnx'
  | 'exportTfjs'
  | 'shortcuts';
export type HostEvent =
  | { kind: 'menu'; command: MenuCommand }
  /** A project opened from the OS (second launch, file association, recent documents): already granted. */
  | { kind: 'open-file'; path: string };

export type BridgeEvent = EngineEvent | HostEvent;
