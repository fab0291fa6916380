// `electron` as the loopback host's page sees it: what the real preload (preload/preload.ts, bundled with this module
// aliased to 'electron') uses, over HTTP to the host that served the page. contextBridge puts the value on window;
// ipcRenderer.invoke is a POST to /api/<channel>; the events' MessagePort is fed by the /events server-sent events;
// webUtils.getPathForFile asks the test harness (Electron's own answer, a File's path on disk, does not exist in a
// browser; a test maps dropped Files to paths with window.__sealdeskPathForFile). Runs in the browser, not in Node.
import { EVENTS_PORT } from '../../preload/api.js';

type Page = {
  fetch(
    url: string,
    init: { method: string; headers: Record<string, string>; body: string },
  ): Promise<{ text(): Promise<string> }>;
  EventSource: new (url: string) => { addEventListener(type: string, f: (e: { data: string }) => void): void };
  MessageChannel: new () => { port1: Port; port2: Port };
  atob(s: string): string;
  __sealdeskPathForFile?: (file: unknown) => string | undefined;
};
const page = globalThis as unknown as Page;

/** The loopback host's SSE event name for every pushed event. */
export const SSE_EVENT = 'sealdesk';

/** JSON has no bytes: a Uint8Array travels as { $bytes: base64 } (main/loopback-host.ts) and becomes bytes again. */
const revive = (_key: string, v: unknown): unknown => {
  if (v === null || typeof v !== 'object') return v;
  const b64 = (v as { $bytes?: unknown }).$bytes;
  if (typeof b64 !== 'string' || Object.keys(v).length !== 1) return v;
  return Uint8Array.from(page.atob(b64), (c) => c.charCodeAt(0));
};

export const contextBridge = {
  exposeInMainWorld(key: string, value: unknown): void {
    Object.defineProperty(globalThis, key, { value, enumerable: true });
  },
};

type Port = { postMessage(m: unknown): void };
type Listener = (event: { ports: Port[]; sender: null }, ...args: unknown[]) => void;
type IpcRenderer = {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(channel: string, listener: Listener): IpcRenderer;
  off(): IpcRenderer;
};

export const ipcRenderer: IpcRenderer = {
  async invoke(channel, request) {
    // The drop channel too: the loopback host answers it as main does (main/dispatch.ts dispatchDrop).
    const res = await page.fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request ?? {}),
    });
    return JSON.parse(await res.text(), revive);
  },
  /** Only the events port is ever sent to the page: a channel whose one end is fed by /events. */
  on(channel, listener) {
    if (channel !== EVENTS_PORT) return ipcRenderer;
    const { port1, port2 } = new page.MessageChannel();
    const source = new page.EventSource('/events');
    source.addEventListener(SSE_EVENT, (e) => port2.postMessage(JSON.parse(e.data)));
    queueMicrotask(() => listener({ ports: [port1], sender: null }));
    return ipcRenderer;
  },
  off() {
    return ipcRenderer;
  },
};

export const webUtils = {
  getPathForFile: (file: unknown): string => page.__sealdeskPathForFile?.(file) ?? '',
};
