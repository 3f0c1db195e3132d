// Bundled to CommonJS (dist/electron/preload.cjs): sandboxed preloads cannot load ES modules or relative files.
import { contextBridge, ipcRenderer } from 'electron';
import { mainApiChannels, mainEventNames, type MainEvent, type MainEvents, type RendererApi } from './ipc/contract.ts';

/** `window.api`: one function per contract channel over `invoke`, and `on()` for events; never ipcRenderer itself. */
function buildApi(): RendererApi {
  const api: Record<string, unknown> = {};
  for (const channel of Object.keys(mainApiChannels)) {
    api[channel] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
  }
  api.on = <E extends MainEvent>(event: E, listener: (payload: MainEvents[E]) => void): (() => void) => {
    if (!Object.hasOwn(mainEventNames, event)) throw new Error(`Unknown event: ${String(event)}`);
    const wrapped = (_event: Electron.IpcRendererEvent, payload: MainEvents[E]) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  };
  return api as unknown as RendererApi;
}

contextBridge.exposeInMainWorld('api', buildApi());
