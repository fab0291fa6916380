// Sandboxed preload: exposes exactly the channels of api.ts as window.api, the pushed events (a MessagePort main hands
// over at each page load), and the handing over of dropped files to main (nothing else). The loopback host serves
// this same file with `electron` aliased to main/host/loopback-electron.ts.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  CHANNELS,
  DROP_CHANNEL,
  DROP_MAX,
  EVENTS_PORT,
  STATE_EVENTS,
  methodName,
  type JobStatus,
  type SealdeskEvent,
} from './api.js';

const api = Object.fromEntries(
  CHANNELS.map((channel) => [methodName(channel), (request: unknown) => ipcRenderer.invoke(channel, request)]),
);

// Events: the latest state of each kind is kept, so a view that subscribes late still starts from it.
const listeners = new Set<(event: SealdeskEvent) => void>();
const latest = new Map<SealdeskEvent['kind'], SealdeskEvent>();
ipcRenderer.on(EVENTS_PORT, (event: IpcRendererEvent) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (m: { data: unknown }) => {
    const e = m.data as SealdeskEvent;
    if (STATE_EVENTS.includes(e.kind)) latest.set(e.kind, e);
    for (const l of listeners) l(e);
  };
});
const onEvent = (listener: (event: SealdeskEvent) => void) => {
  for (const e of latest.values()) listener(e);
  listeners.add(listener);
  return () => void listeners.delete(listener);
};
const onJobProgress = (listener: (status: JobStatus) => void) => onEvent((e) => e.kind === 'job' && listener(e.status));

contextBridge.exposeInMainWorld('api', Object.freeze({ ...api, onJobProgress, onEvent }));
// Dropped files become handles: their paths (webUtils.getPathForFile; '' for a File not on disk) go to main on a channel
// of their own, and main answers with handles for the existing files and folders. The page never sees a path.
const fromDrop = (files: readonly File[]) =>
  ipcRenderer.invoke(DROP_CHANNEL, { paths: [...files].slice(0, DROP_MAX).map((f) => webUtils.getPathForFile(f)) });
contextBridge.exposeInMainWorld('sealdeskFiles', Object.freeze({ fromDrop }));
