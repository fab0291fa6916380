// Sandboxed preload: exposes exactly the channels of api.ts as window.api, the job:progress event, and the path of a
// dropped file (nothing else).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNELS, JOB_PROGRESS, methodName, type JobStatus } from './api.js';

const api = Object.fromEntries(CHANNELS.map((channel) => [methodName(channel), (request: unknown) => ipcRenderer.invoke(channel, request)]));

const onJobProgress = (listener: (status: JobStatus) => void) => {
  const handler = (_event: IpcRendererEvent, status: JobStatus) => listener(status);
  ipcRenderer.on(JOB_PROGRESS, handler);
  return () => void ipcRenderer.off(JOB_PROGRESS, handler);
};

contextBridge.exposeInMainWorld('api', Object.freeze({ ...api, onJobProgress }));
// A dropped File's path on disk (Electron ≥ 32 no longer puts it on File.path): the views send paths, never bytes.
contextBridge.exposeInMainWorld('sealdeskFiles', Object.freeze({ pathFor: (file: File) => webUtils.getPathForFile(file) }));
