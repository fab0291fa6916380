// Fetching trusted lists over HTTP(S) with undici: a time limit, a byte cap per list and a budget shared by a whole
// refresh, no redirects; private and loopback destinations refused unless allowed (tests serve lists on loopback).
import type { Dispatcher } from 'undici';
import { CoreError, errorMessage } from '../errors.js';
import { checkLiteralHost, guardedLookup } from '../revocation/network.js';

export type TlFetchCaps = {
  /** Lists fetched in one refresh, the LOTL and its pivots included. */
  readonly maxLists: number;
  readonly maxPivots: number;
  /** Bytes fetched in one refresh, all lists together. */
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly allowPrivateNetwork: boolean;
};

export const DEFAULT_FETCH_CAPS: TlFetchCaps = {
  maxLists: 60,
  maxPivots: 10,
  maxBytes: 128 * 1024 * 1024,
  timeoutMs: 30_000,
  allowPrivateNetwork: false,
};

/** Counts what one refresh has fetched against its caps. */
export class FetchBudget {
  private lists = 0;
  private bytes = 0;
  constructor(readonly caps: TlFetchCaps) {}

  get fetchedBytes(): number {
    return this.bytes;
  }

  /** GETs one list; RESOURCE_LIMIT when the count or the byte budget is spent, OFFLINE when nothing answers. */
  async get(url: string): Promise<Uint8Array> {
    if (this.lists >= this.caps.maxLists) {
      throw new CoreError('RESOURCE_LIMIT', `not fetched: the cap of ${this.caps.maxLists} lists is reached`);
    }
    this.lists++;
    const left = this.caps.maxBytes - this.bytes;
    if (left <= 0)
      throw new CoreError('RESOURCE_LIMIT', `not fetched: the cap of ${this.caps.maxBytes} bytes is spent`);
    const bytes = await fetchList(url, { ...this.caps, maxBytes: left }, (n) => (this.bytes += n));
    return bytes;
  }
}

let guarded: Dispatcher | undefined;

async function fetchList(url: string, caps: TlFetchCaps, count: (n: number) => void): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CoreError('TL_MALFORMED', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new CoreError('REMOTE_UNSUPPORTED', `${url}: only http and https lists are fetched`);
  }
  try {
    const { request, Agent } = await import('undici');
    if (!caps.allowPrivateNetwork) checkLiteralHost(parsed);
    const dispatcher = caps.allowPrivateNetwork
      ? undefined
      : (guarded ??= new Agent({ connect: { lookup: guardedLookup } }));
    const res = await request(url, {
      method: 'GET',
      signal: AbortSignal.timeout(caps.timeoutMs),
      headersTimeout: caps.timeoutMs,
      bodyTimeout: caps.timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    if (res.statusCode < 200 || res.statusCode > 299) {
      await res.body.dump().catch(() => undefined);
      throw new CoreError('REMOTE_REFUSED', `${url}: HTTP ${res.statusCode}`, { details: { status: res.statusCode } });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      count(chunk.byteLength);
      if (size > caps.maxBytes) {
        res.body.destroy();
        throw new CoreError('RESOURCE_LIMIT', `${url}: over the byte cap (${caps.maxBytes} bytes left of the budget)`);
      }
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  } catch (err) {
    if (err instanceof CoreError) throw err;
    for (let e: unknown = err, n = 0; e && n < 5; e = (e as { cause?: unknown }).cause, n++) {
      if (e instanceof CoreError) throw e;
    }
    throw new CoreError('OFFLINE', `${url}: ${errorMessage(err)}`, { cause: err });
  }
}
