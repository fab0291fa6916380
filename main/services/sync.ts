// Background sync in the worker host (issue 17), never on the UI thread: a run (push, then pull: core/app/sync.ts)
// after each local change and every few minutes, each preceded by a short reachability check of the account's server,
// and on request (`sync:now`); at most one run at a time, backing off while offline; the state pushed as the `sync`
// event (synced / n pending / offline / sign-in needed). Also `label:set` (core/app/label.ts; the outbox pushes it).
import { setLabel } from '../../core/app/label.js';
import { syncRun, syncStatus } from '../../core/app/sync.js';
import { CoreError, errorMessage } from '../../core/errors.js';
import { setSyncAccount } from '../../core/ledger/index.js';
import { openRemoteClient } from '../../core/sync/http.js';
import type { Account, AccountStore, SyncStatus } from '../../core/sync/types.js';
import type { SyncRunView } from '../../preload/api.js';
import type { ServiceContext } from './context.js';
import { probe } from './reachability.js';

const EVERY_MS = 3 * 60_000;
const FIRST_BACKOFF_MS = 15_000;

export type SyncOptions = {
  /** How long the reachability check waits for the server. */
  readonly timeoutMs?: number;
  /** The first wait after the server did not answer (doubled each time, up to the checks' interval). */
  readonly backoffMs?: number;
};

export function syncServices(
  c: ServiceContext,
  store: AccountStore,
  emit: (status: SyncStatus) => void,
  o: SyncOptions = {},
) {
  let blocked: 'offline' | 'sign-in-needed' | null = null;
  let lastError: string | null = null;
  let running: Promise<SyncRunView> | null = null;
  let again = false;
  let started = false;
  let everyMs = EVERY_MS;
  let backoff = 0;
  let retry: NodeJS.Timeout | null = null;
  let abort = new AbortController();

  const status = async (): Promise<SyncStatus> => {
    const account = await store.read();
    const base = await c.withDb((db) => syncStatus(db, account));
    if (!account || !blocked) return base;
    return { ...base, state: blocked, lastError };
  };
  const publish = () => void status().then(emit, () => undefined);
  const stopRetry = () => {
    if (retry) clearTimeout(retry);
    retry = null;
  };
  /** OFFLINE: wait longer each time before the next check; AUTH_REQUIRED: nothing more until a new sign-in. */
  const failed = (err: unknown) => {
    const code = err instanceof CoreError ? err.code : null;
    lastError = errorMessage(err);
    if (code === 'AUTH_REQUIRED') blocked = 'sign-in-needed';
    if (code !== 'OFFLINE') return;
    blocked = 'offline';
    backoff = Math.min(everyMs, backoff ? backoff * 2 : (o.backoffMs ?? FIRST_BACKOFF_MS));
    if (!started || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void check();
    }, backoff);
    retry.unref();
  };
  const runOnce = async (): Promise<SyncRunView> => {
    const account = await store.read();
    if (!account) throw new CoreError('ACCOUNT_NONE', 'no account: sign in under Settings → Account');
    // A refreshed password session is written back (to the keychain, through main, in the app).
    const client = openRemoteClient(account, { onCredential: (credential) => store.write({ ...account, credential }) });
    try {
      const r = await c.withDb((db) => syncRun(db, client, { signal: abort.signal }));
      blocked = null;
      lastError = null;
      backoff = 0;
      return { pushed: r.pushed, pulled: r.pulled, refused: r.refused, status: await status() };
    } catch (err) {
      failed(err);
      throw err;
    } finally {
      publish();
    }
  };
  /** One run at a time: a request during a run gets that run, and one more check follows it. */
  const run = (): Promise<SyncRunView> => {
    if (running) {
      again = true;
      return running;
    }
    running = runOnce().finally(() => {
      running = null;
      if (!again) return;
      again = false;
      void check();
    });
    return running;
  };
  /** The server answered at all (any HTTP status, a short wait): a run; else offline, and the state says so. */
  async function check(): Promise<void> {
    const account = await store.read().catch(() => null);
    if (!started || !account || blocked === 'sign-in-needed') return;
    try {
      await probe(`${account.serverUrl}/api/capabilities`, o.timeoutMs ?? 5000);
    } catch (err) {
      failed(new CoreError('OFFLINE', `${account.serverUrl} does not answer (${errorMessage(err)})`));
      return publish();
    }
    stopRetry();
    await run().catch(() => undefined);
  }
  /** After a local change: the state pushed, then a check and a run (not while backing off or signed out). */
  const changed = () => {
    publish();
    if (!retry) void check();
  };

  return {
    status,
    changed,
    /** `sync:now`: a run now, whatever the backoff (the user asked). */
    now: (): Promise<SyncRunView> => (stopRetry(), run()),
    /** A new account (or none): the ledger's outbox follows it, the state starts afresh, and a run follows. */
    accountChanged: async (account: Account | null) => {
      await c.withDb((db) => setSyncAccount(db, account?.serverUrl ?? null));
      blocked = null;
      lastError = null;
      backoff = 0;
      stopRetry();
      changed();
    },
    /** The label of a record (the CHANGES wrapper then kicks a run: the outbox pushes it). */
    label: async (r: { kind: 'stamp' | 'seal'; id: string; label: string }) => {
      const x = await c.withDb((db) => setLabel(db, r.id, r.label));
      return { kind: x.kind, id: x.id, label: x.label };
    },
    /** Background sync from now: a check now, then every `every` ms; returns the stop function (a run stops too). */
    start(every = EVERY_MS): () => void {
      started = true;
      everyMs = every;
      abort = new AbortController();
      void check();
      const timer = setInterval(() => void check(), every);
      timer.unref();
      return () => {
        started = false;
        clearInterval(timer);
        stopRetry();
        abort.abort();
      };
    },
  };
}
