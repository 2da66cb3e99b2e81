import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { PreloadApi } from '../../src-renderer/api/transport.js';
import { INVOKE_CHANNEL, TABLES_CHANNEL } from './channels.js';

/**
 * The page gets exactly two functions. Raw ipcRenderer never crosses the bridge, so page script
 * cannot pick another channel, and the session token never leaves main.
 */
const api: PreloadApi = {
  invoke(name, input) {
    if (typeof name !== 'string') return Promise.reject(new TypeError('A procedure name must be a string.'));
    return ipcRenderer.invoke(INVOKE_CHANNEL, name, input);
  },
  onTablesChanged(listener) {
    if (typeof listener !== 'function') throw new TypeError('onTablesChanged needs a function.');
    // The event object carries a sender the page must not reach, so only the table names go on.
    const forward = (_event: IpcRendererEvent, tables: string[]) => listener(tables);
    ipcRenderer.on(TABLES_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(TABLES_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('asclepia', api);
