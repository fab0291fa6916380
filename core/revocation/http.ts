// Fetching revocation data over HTTP with undici: bounded in time and size, no redirects, plain errors.
import { CoreError, errorMessage } from '../errors.js';

export type HttpFetch = (url: string, init: { method: 'GET' | 'POST'; body?: Uint8Array; contentType?: string; timeoutMs: number; maxBytes: number }) => Promise<Uint8Array>;

export const httpFetch: HttpFetch = async (url, init) => {
  try {
    const { request } = await import('undici'); // loaded on first use: a command that never goes online starts faster
    const res = await request(url, {
      method: init.method,
      body: init.body,
      headers: init.contentType ? { 'content-type': init.contentType } : {},
      signal: AbortSignal.timeout(init.timeoutMs),
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs,
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
    throw new CoreError('REVOCATION_UNAVAILABLE', `${url}: ${errorMessage(err)}`, { cause: err });
  }
};
