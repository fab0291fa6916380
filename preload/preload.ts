// Sandboxed preload: exposes exactly the channels of api.ts as window.api, the job:progress event, and the handing
// over of dropped files to main (nothing else).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { CHANNELS, DROP_CHANNEL, DROP_MAX, JOB_PROGRESS, methodName, type JobStatus } from './api.js';

const api = Object.fromEntries(CHANNELS.map((channel) => [methodName(channel), (request: unknown) => ipcRenderer.invoke(channel, request)]));

const onJobProgress = (listener: (status: JobStatus) => void) => {
  const handler = (_event: IpcRendererEvent, status: JobStatus) => listener(status);
  ipcRenderer.on(JOB_PROGRESS, handler);
  return () => void ipcRenderer.off(JOB_PROGRESS, handler);
};

contextBridge.exposeInMainWorld('api', Object.freeze({ ...api, onJobProgress }));
// Dropped files become handles: their paths (webUtils.getPathForFile; '' for a File not on disk) go to main on a channel
// of their own, and main answers with handles for the existing files and folders. The page never sees a path.
const fromDrop = (files: readonly File[]) => ipcRenderer.invoke(DROP_CHANNEL, { paths: [...files].slice(0, DROP_MAX).map((f) => webUtils.getPathForFile(f)) });
contextBridge.exposeInMainWorld('sealdeskFiles', Object.freeze({ fromDrop }));
