// The authenticated HTTP client of sync (issue 17): implements RemoteClient (core/sync/types.ts). Each attempt is
// signed afresh on the server's clock (sign.ts); network failures, timeouts, 5xx and 429 are retried with backoff and
// jitter (retry.ts) until the attempts or the total wait run out (OFFLINE); a password session is refreshed shortly
// before it expires and once on a 401 (the new tokens go to `onCredential`); a 401 that stays is AUTH_REQUIRED and
// another 4xx REMOTE_REFUSED with {status, body}. Errors name the server and the path, never a credential.
import { decodeJwt } from 'jose';
import { CoreError } from '../errors.js';
import {
  DEFAULT_RETRY,
  RETRYABLE_STATUS,
  nextWaitMs,
  retryAfterMs,
  sleep as realSleep,
  type RetryPolicy,
} from './retry.js';
import { ServerClock, authHeaders, signsWithClock } from './sign.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, NetworkFailure, exchange } from './transport.js';
import type { Account, Credential, RemoteClient, RemoteRequest, RemoteResponse } from './types.js';

export type RemoteClientOptions = {
  /** Called with a password session's new tokens after a refresh: store them (AccountStore.write). */
  onCredential?(c: Credential): Promise<void>;
  retry?: RetryPolicy;
  /** The local clock in ms (tests run the client minutes off); the server's offset is learned on top of it. */
  now?: () => number;
  /** The wait between attempts (tests record it instead of waiting). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1) for the backoff's jitter. */
  random?: () => number;
  /** Per attempt: connect, response headers and the gap between body chunks. */
  timeoutMs?: number;
  maxResponseBytes?: number;
};

/** A password session is refreshed when less than this is left of it. */
export const REFRESH_BEFORE_MS = 5 * 60_000;
const BODY_IN_ERROR = 2048;

export type OpenRemoteClient = RemoteClient & { readonly clock: ServerClock; readonly credential: Credential };

export function openRemoteClient(account: Account, o: RemoteClientOptions = {}): OpenRemoteClient {
  const policy = { ...DEFAULT_RETRY, ...o.retry };
  const clock = new ServerClock(o.now ?? Date.now);
  const wait = o.sleep ?? realSleep;
  let credential = account.credential;
  let refreshing: Promise<void> | null = null;

  /** One logical request with its retries; returns the first answer that retrying cannot change. */
  async function retried(req: RemoteRequest, cred: Credential | null, signal?: AbortSignal): Promise<RemoteResponse> {
    let waited = 0;
    let reason = '';
    for (let attempt = 0; ; attempt++) {
      let retryAfter: number | null = null;
      try {
        const auth = cred ? await authHeaders(cred, clock.now()) : {};
        const res = await exchange({
          method: req.method,
          url: account.serverUrl + req.path,
          headers: { ...auth, ...(req.idempotencyKey ? { 'idempotency-key': req.idempotencyKey } : {}) },
          json: req.json,
          multipart: req.multipart,
          timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
          signal,
        });
        const moved = clock.learn(res.headers.date);
        if (res.status === 401 && moved && cred && signsWithClock(cred) && attempt === 0) continue;
        if (!RETRYABLE_STATUS.has(res.status) && !(res.status === 409 && req.idempotencyKey)) return res;
        reason = `HTTP ${res.status}`;
        retryAfter = retryAfterMs(res.headers['retry-after'], clock.now());
      } catch (err) {
        if (!(err instanceof NetworkFailure)) throw err;
        reason = err.message;
      }
      const ms = nextWaitMs(attempt, policy, retryAfter, o.random);
      if (attempt + 1 >= policy.attempts || waited + ms > policy.maxTotalMs)
        throw new CoreError(
          'OFFLINE',
          `${account.serverUrl} cannot be reached (${req.method} ${pathOnly(req.path)}: ${reason}, ` +
            `${attempt + 1} attempt(s))`,
          { details: { reason, attempts: attempt + 1 } },
        );
      waited += ms;
      await wait(ms, signal).catch((err: unknown) => {
        throw new CoreError('CANCELLED', 'cancelled', { cause: err });
      });
    }
  }

  async function refresh(signal?: AbortSignal): Promise<void> {
    refreshing ??= (async () => {
      if (credential.scheme !== 'password') return;
      const bearer = { scheme: 'api-key', key: credential.refreshToken } as const;
      const res = await retried({ method: 'POST', path: '/auth/refresh', json: {} }, bearer, signal);
      if (res.status === 401) throw signInAgain();
      const body = parse<{ token?: unknown; refreshToken?: unknown }>(ok(res, 'POST', '/auth/refresh'));
      if (typeof body.token !== 'string') throw new CoreError('REMOTE_REFUSED', 'the session refresh gave no token');
      const refreshToken = typeof body.refreshToken === 'string' ? body.refreshToken : body.token;
      credential = { ...credential, accessToken: body.token, refreshToken };
      await o.onCredential?.(credential);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  function expiresSoon(c: Credential): boolean {
    if (c.scheme !== 'password') return false;
    try {
      const exp = decodeJwt(c.accessToken).exp;
      return typeof exp === 'number' && exp * 1000 - clock.now() < REFRESH_BEFORE_MS;
    } catch {
      return false; // not a JWT: the server's own business; a 401 will tell
    }
  }

  async function send(req: RemoteRequest, signal?: AbortSignal): Promise<RemoteResponse> {
    if (req.anonymous) return ok(await retried(req, null, signal), req.method, req.path);
    if (expiresSoon(credential)) await refresh(signal);
    let res = await retried(req, credential, signal);
    if (res.status === 401 && credential.scheme === 'password') {
      await refresh(signal);
      res = await retried(req, credential, signal);
    }
    if (res.status === 401) throw signInAgain();
    return ok(res, req.method, req.path);
  }

  return {
    account,
    clock,
    get credential() {
      return credential;
    },
    send,
    json: async <T>(req: RemoteRequest, signal?: AbortSignal) => parse<T>(await send(req, signal)),
    has: (extension: string) => account.capabilities.includes(extension),
  };

  function signInAgain(): CoreError {
    return new CoreError(
      'AUTH_REQUIRED',
      `${account.serverUrl} refused this machine's credential: sign in again (sealdesk account login); ` +
        'nothing queued is dropped',
      { details: { status: 401 } },
    );
  }
}

/** The path without its query (a query may carry ids a log need not keep). */
const pathOnly = (path: string): string => path.split('?')[0]!;

/** A 2xx as it is; a 401 for an anonymous request or any other status is REMOTE_REFUSED with its status and body. */
function ok(res: RemoteResponse, method: string, path: string): RemoteResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const body = res.body.subarray(0, BODY_IN_ERROR).toString('utf8');
  let said = '';
  try {
    const m = (JSON.parse(res.body.toString('utf8')) as { message?: unknown }).message;
    if (typeof m === 'string') said = `: ${m.slice(0, 200)}`;
  } catch {
    // not JSON
  }
  throw new CoreError('REMOTE_REFUSED', `the server refused ${method} ${pathOnly(path)} (HTTP ${res.status}${said})`, {
    details: { status: res.status, body },
  });
}

function parse<T>(res: RemoteResponse): T {
  try {
    return JSON.parse(res.body.toString('utf8')) as T;
  } catch {
    throw new CoreError('REMOTE_UNSUPPORTED', `the server answered HTTP ${res.status} with something other than JSON`);
  }
}
