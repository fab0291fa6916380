// Push: sends the outbox's pending rows in seq order, each with its idempotency key, through a dispatcher table (one
// handler per kind; remote work kinds are added by their own module with registerPushHandler). A row the server
// cannot take is refused with the reason kept and the run goes on; OFFLINE and AUTH_REQUIRED stop the run with the
// row still pending, so nothing is lost and a repeat sends nothing twice (the server honours the key). Runs of stamp
// and restamp rows go in batches when the server offers them (push-batch.ts); a batch the server refuses as a whole
// falls back to one request for each of its rows.
import { CoreError, errorMessage } from '../errors.js';
import type { Ledger } from '../ledger/open.js';
import { markRefused, markSent, nextPending, noteAttempt, outboxCounts, type OutboxKind } from './outbox.js';
import { BATCH_EXTENSION, collectBatch, pushBatch } from './push-batch.js';
import { pushLabel, pushSeal, pushStamp, type PushHandler } from './push-records.js';
import type { RemoteClient, SyncProgress } from './types.js';

export type { PushHandler, PushOutcome } from './push-records.js';

export const PUSH_HANDLERS: Partial<Record<OutboxKind, PushHandler>> = {
  stamp: pushStamp,
  restamp: pushStamp,
  seal: pushSeal,
  label: pushLabel,
};

export function registerPushHandler(kind: OutboxKind, handler: PushHandler): void {
  PUSH_HANDLERS[kind] = handler;
}

export type PushOptions = { readonly signal?: AbortSignal; readonly onProgress?: (p: SyncProgress) => void };
export type PushRefusal = { readonly kind: string; readonly recordId: string; readonly reason: string };
export type PushResult = { readonly pushed: number; readonly refused: readonly PushRefusal[] };

/** A 4xx from the server, in words: "HTTP 400: the token does not verify against hashHex: …". */
function refusalReason(err: CoreError): string {
  const d = err.details ?? {};
  const body = d['body'];
  let said = err.message;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      const j = JSON.parse(body.toString()) as { message?: string; error?: string };
      said = j.message ?? j.error ?? said;
    } catch {
      said = body.toString().slice(0, 300) || said;
    }
  }
  return d['status'] ? `HTTP ${String(d['status'])}: ${said}` : said;
}

export async function push(db: Ledger, client: RemoteClient, o: PushOptions = {}): Promise<PushResult> {
  let pushed = 0;
  const refused: PushRefusal[] = [];
  const total = outboxCounts(db).pending;
  let after = 0;
  // Rows up to this seq go one request each: all of them without the extension, else a batch the server refused.
  let singleUntil = client.has(BATCH_EXTENSION) ? 0 : Infinity;
  for (let row = nextPending(db, after); row; row = nextPending(db, after)) {
    o.signal?.throwIfAborted();
    const handler = PUSH_HANDLERS[row.kind];
    if (row.seq > singleUntil && handler === pushStamp) {
      const entries = collectBatch(db, row);
      try {
        const b = await pushBatch(db, client, entries, o.signal);
        pushed += b.sent;
        for (const r of b.refused) refused.push({ kind: r.row.kind, recordId: r.row.recordId, reason: r.reason });
        after = b.lastSeq;
        o.onProgress?.({ phase: 'push', done: pushed + refused.length, total });
        continue;
      } catch (err) {
        if (!(err instanceof CoreError && err.code === 'REMOTE_REFUSED')) throw err;
        singleUntil = entries[entries.length - 1]!.row.seq; // the server would not take this batch: its rows alone
      }
    }
    after = row.seq;
    if (!handler) continue; // a kind this build cannot send yet: it waits
    try {
      const out = await handler(db, client, row, o.signal);
      if ('refused' in out) {
        markRefused(db, row.seq, out.refused);
        refused.push({ kind: row.kind, recordId: row.recordId, reason: out.refused });
      } else {
        markSent(db, row.seq, out.remoteId, out.also);
        pushed++;
      }
    } catch (err) {
      if (err instanceof CoreError && err.code === 'REMOTE_REFUSED') {
        const reason = refusalReason(err);
        markRefused(db, row.seq, reason);
        refused.push({ kind: row.kind, recordId: row.recordId, reason });
      } else {
        noteAttempt(db, row.seq, errorMessage(err));
        throw err;
      }
    }
    o.onProgress?.({ phase: 'push', done: pushed + refused.length, total });
  }
  return { pushed, refused };
}
