// Use case "sync" (issue 17): one run pushes the outbox in order, then pulls the organisation's records; the status
// the CLI's `account status`/`sync` and the desktop's status bar show. A pull that fails after a complete push still
// reports the push; a push stopped by OFFLINE or AUTH_REQUIRED throws that error, with the work still queued.
import { CoreError, errorMessage } from '../errors.js';
import type { Ledger } from '../ledger/open.js';
import { lastSyncRun, recordSyncRun, setSyncAccount, syncAccount } from '../ledger/sync.js';
import { enqueueExisting, outboxCounts, outboxRows } from '../sync/outbox.js';
import { pull } from '../sync/pull.js';
import { push } from '../sync/push.js';
import type { Account, RemoteClient, SyncProgress, SyncResult, SyncState, SyncStatus } from '../sync/types.js';
import { registerRemoteHandlers } from './remote-handlers.js';

registerRemoteHandlers(); // the remote work queued offline (stamp --remote, seal --remote-cert, restamp --remote)

export type SyncRunOptions = {
  /** Also offer, once, the local records made before the account existed. */
  readonly includeExisting?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SyncProgress) => void;
  readonly now?: () => Date;
  /** Pull page size, 1–200 (default 200). */
  readonly pageSize?: number;
};

const codeOf = (err: unknown) => (err instanceof CoreError ? err.code : 'UNKNOWN');

export async function syncRun(db: Ledger, client: RemoteClient, o: SyncRunOptions = {}): Promise<SyncResult> {
  const now = o.now ?? (() => new Date());
  const queued = syncAccount(db);
  if (queued === null) setSyncAccount(db, client.account.serverUrl);
  else if (queued !== client.account.serverUrl) throw accountMismatch(queued, client);
  if (o.includeExisting) enqueueExisting(db);
  let pushed;
  try {
    pushed = await push(db, client, o);
  } catch (err) {
    recordSyncRun(db, now(), { code: codeOf(err), message: errorMessage(err) });
    throw err;
  }
  let pulled = 0;
  let failure: { code: string; message: string } | null = null;
  try {
    pulled = (await pull(db, client, o)).pulled;
  } catch (err) {
    if (err instanceof Error && err.name === 'AbortError') throw err;
    failure = { code: codeOf(err), message: `pull: ${errorMessage(err)}` };
  }
  recordSyncRun(db, now(), failure);
  const status = syncStatus(db, client.account);
  return { pushed: pushed.pushed, pulled, pending: status.pending, refused: refusedRecords(db), status };
}

/** The ledger queues for another server than the signed-in account's. */
function accountMismatch(queued: string, client: RemoteClient): CoreError {
  const why = `this ledger syncs with ${queued}, not ${client.account.serverUrl}: sign in to ${queued} again`;
  return new CoreError('AUTH_REQUIRED', why);
}

/** Every local record the server would not take, and why (kept until offered again). */
export function refusedRecords(db: Ledger): SyncResult['refused'] {
  return outboxRows(db, 'refused').map((r) => ({ kind: r.kind, recordId: r.recordId, reason: r.lastError ?? '' }));
}

export function syncStatus(db: Ledger, account: Account | null): SyncStatus {
  const counts = outboxCounts(db);
  const last = lastSyncRun(db);
  let state: SyncState;
  if (!account) state = 'no-account';
  else if (last.code === 'AUTH_REQUIRED') state = 'sign-in-needed';
  else if (last.code === 'OFFLINE') state = 'offline';
  else state = counts.pending > 0 ? 'pending' : 'synced';
  return {
    state,
    serverUrl: account?.serverUrl ?? null,
    pending: counts.pending,
    refused: counts.refused,
    lastRunAt: last.at,
    lastError: last.error,
  };
}
