// The only bridge between the page and the main process (sandboxed preload, contextIsolation):
// window.netwright = { invoke, onEvent, host } per the transport contract.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL, type BridgeEvent, type IpcReply } from './channels.ts';

contextBridge.exposeInMainWorld('netwright', {
  host: 'electron',
  async invoke(method: string, args: unknown[] = []): Promise<unknown> {
    const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, method, args)) as IpcReply;
    if (reply.ok) return reply.result;
    throw new Error(JSON.stringify(reply.error));
  },
  onEvent(cb: (e: BridgeEvent) => void): () => void {
    const listener = (_e: IpcRendererEvent, event: BridgeEvent) => cb(event);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
});
