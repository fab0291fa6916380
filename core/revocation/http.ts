// Fetching revocation data over HTTP with undici: bounded in time and size, no redirects, plain errors; loopback,
// link-local and private destinations refused unless allowed (network.ts: the connection's own lookup checks them).
import type { Dispatcher } from 'undici';
import { CoreError, errorMessage } from '../errors.js';
import { checkLiteralHost, guardedLookup } from './network.js';

export type HttpFetchInit = {
  method: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  timeoutMs: number;
  maxBytes: number;
  /** Let the URL reach loopback, link-local and private addresses; default: refused. */
  allowPrivateNetwork?: boolean;
};

export type HttpFetch = (url: string, init: HttpFetchInit) => Promise<Uint8Array>;

let guarded: Dispatcher | undefined;

export const httpFetch: HttpFetch = async (url, init) => {
  try {
    const { request, Agent } = await import('undici'); // loaded on first use: a command that never goes online starts faster
    const parsed = new URL(url);
    if (!init.allowPrivateNetwork) checkLiteralHost(parsed);
    const dispatcher = init.allowPrivateNetwork
      ? undefined
      : (guarded ??= new Agent({ connect: { lookup: guardedLookup } }));
    const res = await request(url, {
      method: init.method,
      body: init.body,
      headers: init.contentType ? { 'content-type': init.contentType } : {},
      signal: AbortSignal.timeout(init.timeoutMs),
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    if (res.statusCode < 200 || res.statusCode > 299) {
      await res.body.dump().catch(() => undefined);
      throw new Error(`HTTP ${res.statusCode}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > init.maxBytes) {
        res.body.destroy();
        throw new Error(`response larger than ${init.maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  } catch (err) {
    if (err instanceof CoreError) throw err;
    const refused = refusalIn(err);
    if (refused) throw refused;
    throw new CoreError('REVOCATION_UNAVAILABLE', `${url}: ${errorMessage(err)}`, { cause: err });
  }
};

/** The refusal our lookup raised, wherever undici wrapped it. */
function refusalIn(err: unknown): CoreError | null {
  for (let e: unknown = err, n = 0; e && n < 5; e = (e as { cause?: unknown }).cause, n++)
    if (e instanceof CoreError) return e;
  return null;
}
