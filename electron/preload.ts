/**
 * The main window's preload (sandboxed): exposes one small object, `window.studioBridge`, with a
 * generic call and an event subscription. Never ipcRenderer itself; channel names are fixed here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { type StudioBridge, bridgeGlobal, ipcChannels } from '../shared/transport';

const bridge: StudioBridge = {
  call: (name, input) => ipcRenderer.invoke(ipcChannels.call, String(name), input),
  on: (listener) => {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => listener(String(name), payload);
    ipcRenderer.on(ipcChannels.event, forward);
    return () => ipcRenderer.removeListener(ipcChannels.event, forward);
  },
};

contextBridge.exposeInMainWorld(bridgeGlobal, bridge);
