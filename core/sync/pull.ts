// Pull: the organisation's records from the server into the ledger as remote records (core/sync/remote-records.ts),
// one page per transaction. With our 'sync-since' extension the pages are what changed from the stored cursor on,
// oldest first, tokens included; on a server without it (the real Sigill) the pages are read newest first and the scan
// stops at the first page that brings nothing new, each token fetched from the public lookup when the item lacks it.
import { CoreError } from '../errors.js';
import type { Ledger } from '../ledger/open.js';
import { sql } from '../ledger/statements.js';
import { pullCursor, setPullCursor, type PullCursor } from '../ledger/sync.js';
import { applyRemoteSeal, applyRemoteStamp, linkRemoteParents, type Applied } from './remote-records.js';
import type { RemoteStamp, RemoteSeal } from './remote-records.js';
import type { RemoteClient, SyncProgress } from './types.js';

export const PULL_PAGE_SIZE = 200;
const EPOCH = '1970-01-01T00:00:00.000Z';
const CURSOR_OVERLAP_MS = 5_000;

export type PullOptions = {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SyncProgress) => void;
  /** Items per page, 1–200 (default 200). */
  readonly pageSize?: number;
};
export type PullResult = { readonly pulled: number; readonly skipped: number };

type StampItem = RemoteStamp & { changedAt?: string; tsrBase64?: string };
type SealItem = RemoteSeal;
type Page<T> = { readonly total: number; readonly items: readonly T[] };

type Source<T> = {
  readonly cursor: PullCursor;
  readonly path: (q: string) => string;
  readonly since: string;
  readonly changedAt: (item: T) => string;
  /** null: the item cannot be brought here (no token to be had). */
  readonly apply: (db: Ledger, item: T) => Promise<(() => Applied) | null>;
};

export async function pull(db: Ledger, client: RemoteClient, o: PullOptions = {}): Promise<PullResult> {
  const tenantId = client.account.user.tenantId;
  if (!tenantId) throw new CoreError('REMOTE_UNSUPPORTED', 'the account does not name its organisation (tenant id)');
  const stamps = await pullSource(db, client, stampSource(client, tenantId), o);
  linkRemoteParents(db);
  const seals = await pullSource(db, client, sealSource(), o, stamps.pulled + stamps.skipped);
  return { pulled: stamps.pulled + seals.pulled, skipped: stamps.skipped + seals.skipped };
}

function stampSource(client: RemoteClient, tenantId: string): Source<StampItem> {
  const since = client.has('sync-since');
  return {
    cursor: 'transactions',
    since: since ? '&includeToken=true' : '',
    path: (q) => `/api/transactions/details?tenantId=${encodeURIComponent(tenantId)}${q}`,
    changedAt: (i) => i.changedAt ?? i.createdAt,
    apply: async (db, item) => {
      const tsr = item.tsrBase64 ? Buffer.from(item.tsrBase64, 'base64') : await tokenOf(db, client, item);
      return tsr ? () => applyRemoteStamp(db, item, tsr) : null;
    },
  };
}

function sealSource(): Source<SealItem> {
  return {
    cursor: 'seals',
    since: '',
    path: (q) => `/seal/operations?${q.slice(1)}`,
    changedAt: (i) => i.createdAt,
    apply: async (db, item) => () => applyRemoteSeal(db, item),
  };
}

/** Sigill's details items hold no token: the public lookup by SHA-512 lists it (a SHA-256 imprint cannot be had). */
async function tokenOf(db: Ledger, client: RemoteClient, item: StampItem): Promise<Uint8Array | null> {
  const known = sql(db, 'SELECT tsr FROM stamps WHERE remote_id = ?').get(item.id) as { tsr: Buffer } | undefined;
  if (known) return known.tsr;
  if (!/^[0-9a-fA-F]{128}$/.test(item.hashHex)) return null;
  const r = await client.json<{ records: { id: string; tsrBase64: string }[] }>({
    method: 'GET',
    path: `/api/lookup/${item.hashHex.toLowerCase()}`,
    anonymous: true,
  });
  const hit = r.records.find((x) => x.id === item.id);
  return hit ? Buffer.from(hit.tsrBase64, 'base64') : null;
}

async function pullSource<T>(db: Ledger, c: RemoteClient, s: Source<T>, o: PullOptions, base = 0) {
  const size = Math.min(PULL_PAGE_SIZE, Math.max(1, o.pageSize ?? PULL_PAGE_SIZE));
  const get = (q: string) => c.json<Page<T>>({ method: 'GET', path: s.path(`&pageSize=${size}${q}`) }, o.signal);
  let pulled = 0;
  let skipped = 0;
  /** Applies one page in one write transaction (IMMEDIATE: another sync run waits, never reads a stale ledger); how
   * many items changed it. */
  const applyPage = async (items: readonly T[], cursor?: string): Promise<number> => {
    const steps: (() => Applied)[] = [];
    for (const item of items) {
      const step = await s.apply(db, item);
      if (step) steps.push(step);
      else skipped++;
    }
    const changed = db
      .transaction(() => {
        const n = steps.map((f) => f()).filter((a) => a !== 'same').length;
        if (cursor) setPullCursor(db, s.cursor, cursor);
        return n;
      })
      .immediate();
    pulled += changed;
    o.onProgress?.({ phase: 'pull', done: base + pulled + skipped, total: null });
    return changed;
  };
  if (c.has('sync-since')) {
    // Each run starts a little before its cursor: a record whose insert began before the newest one seen but committed
    // after it is read then (read twice, it changes nothing).
    const cursor = pullCursor(db, s.cursor);
    let since = cursor ? new Date(Date.parse(cursor) - CURSOR_OVERLAP_MS).toISOString() : EPOCH;
    for (let page = 1; ;) {
      o.signal?.throwIfAborted();
      const r = await get(`${s.since}&since=${encodeURIComponent(since)}&page=${page}`);
      const last = r.items.length ? s.changedAt(r.items[r.items.length - 1]!) : since;
      await applyPage(r.items, last);
      if (r.items.length < size) break;
      // A full page of one instant: read on by page; otherwise from the newest change seen.
      if (last === since) page++;
      else [since, page] = [last, 1];
    }
  } else {
    for (let page = 1; ; page++) {
      o.signal?.throwIfAborted();
      const r = await get(`&page=${page}`);
      const changed = await applyPage(r.items);
      if (changed === 0 || r.items.length < size) break;
    }
  }
  return { pulled, skipped };
}
