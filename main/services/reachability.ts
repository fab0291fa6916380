// Online or offline, honestly: a short HTTP request to each enabled TSA (any HTTP answer means reachable), done once
// at start, every few minutes, and again after a real stamp run succeeded or failed. Pushed as the `online` event.
import { errorMessage } from '../../core/errors.js';
import { listTsas } from '../../core/ledger/index.js';
import type { OnlineState } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_EVERY_MS = 3 * 60_000;

/** Resolves when `url` answered with any HTTP status; rejects on a network error or after `timeoutMs`. */
export async function probe(url: string, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'GET',
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { 'cache-control': 'no-cache' },
  });
  await res.body?.cancel();
}

export function reachability(c: ServiceContext, emit: (s: OnlineState) => void, timeoutMs = DEFAULT_TIMEOUT_MS) {
  let state: OnlineState = { online: null, checkedAt: null, tsas: [] };
  let checking: Promise<OnlineState> | null = null;
  let again = false;
  const once = async (): Promise<OnlineState> => {
    const tsas = await c.withDb((db) => listTsas(db).filter((t) => t.enabled && t.url));
    const results = await Promise.all(
      tsas.map(async (t) => {
        try {
          await probe(t.url!, timeoutMs);
          return { slug: t.slug, name: t.name, reachable: true, message: null };
        } catch (err) {
          return { slug: t.slug, name: t.name, reachable: false, message: errorMessage(err) };
        }
      }),
    );
    state = { online: results.some((r) => r.reachable), checkedAt: new Date().toISOString(), tsas: results };
    emit(state);
    return state;
  };
  let started = false;
  /** Checks now (a check under way is followed by one more, so a change of the TSA list is always seen); nothing
   * before start(): services used without their timers (tests in one process) never reach for a TSA unasked. */
  const check = (): Promise<OnlineState> => {
    if (!started) return Promise.resolve(state);
    if (checking) {
      again = true;
      return checking;
    }
    checking = once()
      .catch(() => state)
      .finally(() => {
        checking = null;
        if (again) {
          again = false;
          void check();
        }
      });
    return checking;
  };
  return {
    check,
    state: (): OnlineState => state,
    /** The first check now, then one every `everyMs`; returns the stop function. */
    start(everyMs = DEFAULT_EVERY_MS): () => void {
      started = true;
      void check();
      const timer = setInterval(() => void check(), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
