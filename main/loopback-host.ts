// Serves the real renderer and the typed API on 127.0.0.1 from the main-process services, so the UI runs in
// Chromium where no Electron binary exists (tests, development). Same dispatch() as IPC; never listens beyond loopback.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CHANNELS, DROP_CHANNEL, JOB_PROGRESS, methodName, type Channel, type JobStatus } from '../preload/api.js';
import { dispatch, dispatchDrop } from './dispatch.js';
import { createMainSide, type MainSide } from './main-side.js';
import { CSP } from './security.js';
import type { Services } from './services/index.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
const MAX_BODY = 1024 * 1024;
/** The app's CSP with one change: the page may call this host's API (and nothing else). */
const HOST_CSP = CSP.replace("connect-src 'none'", "connect-src 'self'");

export type LoopbackHost = { readonly url: string; close(): Promise<void> };

/** `side`: main's file handles and dialogs (test hooks); by default one without dialogs or data folder. */
export async function startLoopbackHost(o: { services: Services; rendererDir: string; port?: number; jobEvents?: (listener: (s: JobStatus) => void) => () => void; side?: MainSide }): Promise<LoopbackHost> {
  const side = o.side ?? createMainSide();
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
        return send(res, 200, 'application/json', JSON.stringify(dispatchDrop(sender, JSON.parse((await readBody(req)) || '{}'), isOurs, side)));
      }
      if (!CHANNELS.includes(channel)) return send(res, 404, 'application/json', JSON.stringify({ ok: false, error: { code: 'NO_CHANNEL', message: channel } }));
      const body = await readBody(req);
      // The sender check of IPC, over HTTP: only pages served by this host may call it.
      const sender = req.headers.origin ? `${req.headers.origin}/` : undefined;
      const result = await dispatch(channel, sender, body === '' ? {} : JSON.parse(body), o.services, isOurs, side);
      return send(res, 200, 'application/json', JSON.stringify(result, withBytes));
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    if (path === '/events') return streamEvents(req, res, o.jobEvents);
    if (path === '/' || path === '/index.html') {
      res.setHeader('content-security-policy', HOST_CSP); // the full policy, frame-ancestors included, as Electron's session sends it
      return send(res, 200, TYPES['.html']!, await hostedIndex(o.rendererDir));
    }
    if (path === '/loopback-api.js') return send(res, 200, TYPES['.js']!, apiShim());
    const file = normalize(join(o.rendererDir, path));
    if (!file.startsWith(o.rendererDir + sep)) return send(res, 403, 'text/plain', 'forbidden');
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) return send(res, 404, 'text/plain', 'not found');
    res.setHeader('content-security-policy', HOST_CSP); // a worker script's policy is its own response's, as in Electron's session
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', bytes);
  };
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url: `${origin}/`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

/** The built index.html with the window.api shim loaded first and the CSP's connect-src opened to this origin only. */
async function hostedIndex(rendererDir: string): Promise<string> {
  const html = await readFile(join(rendererDir, 'index.html'), 'utf8');
  return html.replace("connect-src 'none'", "connect-src 'self'").replace('<script', '<script src="./loopback-api.js"></script>\n    <script');
}

/** window.api over fetch: the same method names and Result values as the preload exposes. */
function apiShim(): string {
  const methods = CHANNELS.map((c) => `${JSON.stringify(methodName(c))}: (request) => call(${JSON.stringify(c)}, request)`).join(',\n  ');
  return `const bytes = (k, v) => v !== null && typeof v === 'object' && typeof v.$bytes === 'string' && Object.keys(v).length === 1 ? (Uint8Array.fromBase64 ? Uint8Array.fromBase64(v.$bytes) : Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0))) : v;
const call = (channel, request) => fetch('/api/' + channel, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request ?? {}) }).then((r) => r.text()).then((t) => JSON.parse(t, bytes));
const onJobProgress = (listener) => {
  const events = new EventSource('/events');
  events.addEventListener(${JSON.stringify(JOB_PROGRESS)}, (e) => listener(JSON.parse(e.data)));
  return () => events.close();
};
Object.defineProperty(window, 'api', { value: Object.freeze({
  ${methods},
  onJobProgress
}) });
`;
}

/** JSON has no bytes: a Uint8Array result (Buffers too, read before their toJSON) travels as { $bytes: base64 }, and the shim turns it back. */
function withBytes(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Uint8Array ? { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') } : value;
}

/** `job:progress` as server-sent events (same origin only: no CORS headers, so other origins cannot read it). */
function streamEvents(req: IncomingMessage, res: ServerResponse, subscribe: ((l: (s: JobStatus) => void) => () => void) | undefined): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.write(': job events\n\n');
  const unsubscribe = subscribe?.((s) => res.write(`event: ${JOB_PROGRESS}\ndata: ${JSON.stringify(s)}\n\n`));
  req.on('close', () => unsubscribe?.());
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' }).end(body);
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
