// RFC 3161 §3.4 over HTTP: POST application/timestamp-query with undici, bounded in time and size.
import { TimestampError, errorMessage } from '../errors.js';

/** The side effect the dispatcher needs; tests and the app wire the real one below. */
export interface TimeStampTransport {
  post(
    url: string,
    body: Uint8Array,
    opts: { readonly timeoutMs: number; readonly maxResponseBytes: number },
  ): Promise<Uint8Array>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Real responses are a few KiB; anything past this is not a TimeStampResp. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export class HttpTimeStampTransport implements TimeStampTransport {
  async post(
    url: string,
    body: Uint8Array,
    opts: { timeoutMs: number; maxResponseBytes: number },
  ): Promise<Uint8Array> {
    // undici loads on first use (a command that never goes online starts faster), before the clock starts: the
    // timeout bounds the TSA's answer, not our module loading on a busy machine.
    const { request } = await import('undici');
    const signal = AbortSignal.timeout(opts.timeoutMs);
    try {
      const res = await request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        signal,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        // undici's request() never follows redirects (that takes an interceptor): a 3xx is reported as http_status.
      });
      if (res.statusCode < 200 || res.statusCode > 299) {
        const text = (await res.body.text().catch(() => '')).slice(0, 200).trim();
        throw new TimestampError('http_status', `HTTP ${res.statusCode}${text ? `: ${text}` : ''}`, res.statusCode);
      }
      return await readCapped(res.body, opts.maxResponseBytes, res.statusCode);
    } catch (err) {
      throw classify(err, signal, opts.timeoutMs);
    }
  }
}

async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy(): unknown },
  max: number,
  status: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      body.destroy();
      throw new TimestampError('parse', `response larger than ${max} bytes: not a time-stamp response`, status);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function classify(err: unknown, signal: AbortSignal, timeoutMs: number): TimestampError {
  if (err instanceof TimestampError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (
    signal.aborted ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new TimestampError('timeout', `Request timed out after ${Math.round(timeoutMs / 100) / 10}s`, null, {
      cause: err,
    });
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const netCode = cause?.code ?? code;
  if (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|UND_ERR_CLOSED|ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(
      netCode,
    )
  ) {
    return new TimestampError('network', `${netCode}: ${cause?.message ?? errorMessage(err)}`, null, { cause: err });
  }
  if (code === 'ERR_INVALID_URL' || err instanceof TypeError)
    return new TimestampError('network', `invalid TSA URL: ${errorMessage(err)}`, null, { cause: err });
  return new TimestampError('unknown', errorMessage(err), null, { cause: err });
}
