// Sandboxed preload: exposes exactly the channels of api.ts as window.api, and the path of a dropped file (nothing else).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS, methodName } from './api.js';

const api = Object.fromEntries(CHANNELS.map((channel) => [methodName(channel), (request: unknown) => ipcRenderer.invoke(channel, request)]));

contextBridge.exposeInMainWorld('api', Object.freeze(api));
// A dropped File's path on disk (Electron ≥ 32 no longer puts it on File.path): the views send paths, never bytes.
contextBridge.exposeInMainWorld('sealdeskFiles', Object.freeze({ pathFor: (file: File) => webUtils.getPathForFile(file) }));
