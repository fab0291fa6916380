// Serves the real renderer, the real preload (main/host/loopback-preload.ts) and the typed API on 127.0.0.1, so the UI
// runs in Chromium where no Electron binary exists (tests, development). Same dispatch() as IPC, to the services of
// a worker host (main/host) or in-process ones; their events as server-sent events. Never listens beyond loopback.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CHANNELS, DROP_CHANNEL, type Channel, type JobStatus, type SealdeskEvent } from '../preload/api.js';
import { dispatch, dispatchDrop } from './dispatch.js';
import { SSE_EVENT } from './host/loopback-electron.js';
import { loopbackPreload } from './host/loopback-preload.js';
import { EventHub, type SubscribeEvents } from './services/events.js';
import { createMainSide, type MainSide } from './main-side.js';
import { CSP } from './security.js';
import type { Services } from './services/index.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const MAX_BODY = 1024 * 1024;
/** The app's CSP with one change: the page may call this host's API (and nothing else). */
const HOST_CSP = CSP.replace("connect-src 'none'", "connect-src 'self'");

export type LoopbackHost = { readonly url: string; close(): Promise<void> };

export type LoopbackOptions = {
  /** A worker host's services (main/host/start.ts) or in-process ones (createServices); their `subscribeEvents`
   * feeds /events. */
  readonly services: Services & { readonly subscribeEvents?: SubscribeEvents };
  readonly rendererDir: string;
  readonly port?: number;
  /** Events of services without subscribeEvents. */
  readonly events?: SubscribeEvents;
  /** Only job progress (older callers). */
  readonly jobEvents?: (listener: (s: JobStatus) => void) => () => void;
  /** main's file handles and dialogs (test hooks); by default one without dialogs or data folder. */
  readonly side?: MainSide;
};

export async function startLoopbackHost(o: LoopbackOptions): Promise<LoopbackHost> {
  const side = o.side ?? createMainSide();
  const events = eventsOf(o, side);
  let origin = '';
  const isOurs = (url: string) => url === `${origin}/` || url.startsWith(`${origin}/`);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, 'text/plain', err.message));
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path.startsWith('/api/')) {
      const channel = path.slice(5) as Channel;
      if ((channel as string) === DROP_CHANNEL) {
        const sender = req.headers.origin ? `${req.headers.origin}/` : undefined;
        return send(
          res,
          200,
          'application/json',
          JSON.stringify(dispatchDrop(sender, JSON.parse((await readBody(req)) || '{}'), isOurs, side)),
        );
      }
      if (!CHANNELS.includes(channel))
        return send(
          res,
          404,
          'application/json',
          JSON.stringify({ ok: false, error: { code: 'NO_CHANNEL', message: channel } }),
        );
      const body = await readBody(req);
      // The sender check of IPC, over HTTP: only pages served by this host may call it.
      const sender = req.headers.origin ? `${req.headers.origin}/` : undefined;
      const result = await dispatch(channel, sender, body === '' ? {} : JSON.parse(body), o.services, isOurs, side);
      return send(res, 200, 'application/json', JSON.stringify(result, withBytes));
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    if (path === '/events') return streamEvents(req, res, events);
    if (path === '/' || path === '/index.html') {
      res.setHeader('content-security-policy', HOST_CSP); // the full policy, frame-ancestors included, as Electron's session sends it
      return send(res, 200, TYPES['.html']!, await hostedIndex(o.rendererDir));
    }
    if (path === '/loopback-preload.js') return send(res, 200, TYPES['.js']!, await loopbackPreload());
    const file = normalize(join(o.rendererDir, path));
    if (!file.startsWith(o.rendererDir + sep)) return send(res, 403, 'text/plain', 'forbidden');
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) return send(res, 404, 'text/plain', 'not found');
    res.setHeader('content-security-policy', HOST_CSP); // a worker script's policy is its own response's, as in Electron's session
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', bytes);
  };
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: `${origin}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The built index.html with the preload loaded first (as Electron runs it before the page) and the CSP's connect-src
 * opened to this origin only. */
async function hostedIndex(rendererDir: string): Promise<string> {
  const html = await readFile(join(rendererDir, 'index.html'), 'utf8');
  return html
    .replace("connect-src 'none'", "connect-src 'self'")
    .replace('<script', '<script src="./loopback-preload.js"></script>\n    <script');
}

/** The services' events plus main's own (`opened`: files the OS handed over wait in app:opened). */
function eventsOf(o: LoopbackOptions, side: MainSide): SubscribeEvents {
  const local = new EventHub();
  side.opened.onPush = () => local.emit({ kind: 'opened' });
  const jobs = o.jobEvents;
  const theirs: SubscribeEvents | undefined =
    o.services.subscribeEvents ?? o.events ?? (jobs && ((l) => jobs((status) => l({ kind: 'job', status }))));
  return (listener) => {
    const stops = [local.subscribe(listener), theirs?.(listener)];
    return () => stops.forEach((s) => s?.());
  };
}

/** JSON has no bytes: a Uint8Array result (Buffers too, read before their toJSON) travels as { $bytes: base64 }, and the shim turns it back. */
function withBytes(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Uint8Array
    ? { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') }
    : value;
}

/** The events as server-sent events (same origin only: no CORS headers, so other origins cannot read it). */
function streamEvents(req: IncomingMessage, res: ServerResponse, subscribe: SubscribeEvents): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.write(': sealdesk events\n\n');
  const unsubscribe = subscribe((e: SealdeskEvent) => res.write(`event: ${SSE_EVENT}\ndata: ${JSON.stringify(e)}\n\n`));
  req.on('close', unsubscribe);
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res
    .writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' })
    .end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
