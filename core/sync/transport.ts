// One HTTP exchange of the sync client on undici (loaded on first use), bounded in time (connect, headers, body) and
// in size: a response larger than the cap is cut off and refused. A failure to connect, a timeout or a connection cut
// mid-response is a NetworkFailure (retried by core/sync/http.ts); nothing here retries or authenticates.
import type { Dispatcher } from 'undici';
import { CoreError, errorMessage } from '../errors.js';
import type { MultipartPart, RemoteResponse } from './types.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export type Exchange = {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json?: unknown;
  readonly multipart?: readonly MultipartPart[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
};

/** The request never got a complete answer (refused, reset, timed out, cut): worth another attempt. */
export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
}

let agents = new Map<number, Dispatcher>();

async function agentFor(timeoutMs: number): Promise<Dispatcher> {
  const { Agent } = await import('undici');
  let agent = agents.get(timeoutMs);
  if (!agent) {
    agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    agents.set(timeoutMs, agent);
  }
  return agent;
}

/** Closes the keep-alive connections (a test's server can then stop at once). */
export async function closeConnections(): Promise<void> {
  const all = [...agents.values()];
  agents = new Map();
  await Promise.all(all.map((a) => a.close().catch(() => undefined)));
}

async function bodyOf(x: Exchange): Promise<{ body?: string | Buffer | FormData; type?: string }> {
  if (x.multipart) {
    const { FormData } = await import('undici');
    const form = new FormData();
    for (const p of x.multipart) {
      if ('bytes' in p) form.append(p.name, new Blob([new Uint8Array(p.bytes)], { type: p.contentType }), p.filename);
      else form.append(p.name, p.value);
    }
    return { body: form as unknown as globalThis.FormData };
  }
  if (x.json !== undefined) return { body: JSON.stringify(x.json), type: 'application/json' };
  return {};
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** One attempt: the response whatever its status, or a NetworkFailure / CANCELLED / RESOURCE_LIMIT. */
export async function exchange(x: Exchange): Promise<RemoteResponse> {
  const { request } = await import('undici');
  const { body, type } = await bodyOf(x);
  const headers = { accept: 'application/json', ...(type ? { 'content-type': type } : {}), ...x.headers };
  try {
    const res = await request(x.url, {
      method: x.method as Dispatcher.HttpMethod,
      headers,
      body: body as Dispatcher.DispatchOptions['body'],
      signal: x.signal,
      dispatcher: await agentFor(x.timeoutMs),
    });
    const length = Number(res.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    if (length > x.maxBytes) size = length;
    else
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.byteLength;
        if (size > x.maxBytes) break;
        chunks.push(chunk);
      }
    if (size > x.maxBytes) {
      res.body.destroy();
      throw new CoreError('RESOURCE_LIMIT', `the server's answer is larger than ${x.maxBytes} bytes; refused`);
    }
    return { status: res.statusCode, headers: flatHeaders(res.headers), body: Buffer.concat(chunks) };
  } catch (err) {
    if (err instanceof CoreError) throw err;
    if (x.signal?.aborted) throw new CoreError('CANCELLED', 'cancelled', { cause: err });
    throw new NetworkFailure(errorMessage(err), { cause: err });
  }
}
