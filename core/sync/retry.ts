// When the sync client tries again (issue 17, "Faults"): network failures, timeouts, 500/502/503/504 and 429, with
// exponential backoff and full jitter (a random wait in [0, min(max, base·2^n)]), a server's `Retry-After` honoured
// (seconds or an HTTP date, read on the server's clock), and a cap on the total wait after which the run is OFFLINE.

export type RetryPolicy = {
  /** Attempts in all (the first one included). */
  readonly attempts: number;
  /** The backoff's base and the cap of one computed wait, in ms. */
  readonly baseMs: number;
  readonly maxMs: number;
  /** The most a request may spend waiting between attempts; a Retry-After beyond it ends the retries at once. */
  readonly maxTotalMs?: number;
};

export const DEFAULT_RETRY: Required<RetryPolicy> = { attempts: 6, baseMs: 250, maxMs: 10_000, maxTotalMs: 60_000 };

/**
 * Statuses a later attempt may turn into a success. 408 is a request timeout; 401 and other 4xx are not retried, but
 * for a 409 to a request with an Idempotency-Key (the same key is still being worked on: a cut connection's first
 * attempt runs on at the server) — http.ts retries that one too, and if it outlasts the retries the work stays queued.
 */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Full jitter: uniformly in [0, min(maxMs, baseMs · 2^retry)], `retry` counting from 0. */
export function backoffMs(retry: number, p: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

/**
 * A `Retry-After` value in ms from now: delta-seconds, or an HTTP date compared with the server's time. Null when the
 * header is absent or unreadable (the backoff then applies); a date in the past is 0.
 */
export function retryAfterMs(header: string | undefined, serverNowMs: number): number | null {
  if (header === undefined) return null;
  const v = header.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - serverNowMs) : null;
}

/** The wait before retry number `retry` (0-based): the server's Retry-After when it gave one, else the backoff. */
export function nextWaitMs(
  retry: number,
  p: RetryPolicy,
  retryAfter: number | null,
  random: () => number = Math.random,
): number {
  return retryAfter ?? backoffMs(retry, p, random);
}

/** A sleep that an AbortSignal cuts short (it then rejects with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
