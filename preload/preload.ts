// Sandboxed preload: exposes exactly the channels of api.ts as window.api, nothing else (no ipcRenderer).
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS, methodName } from './api.js';

const api = Object.fromEntries(CHANNELS.map((channel) => [methodName(channel), (request: unknown) => ipcRenderer.invoke(channel, request)]));

contextBridge.exposeInMainWorld('api', Object.freeze(api));
