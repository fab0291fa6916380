// Push in batches (issue 17, ≥ 1,000 records/s): consecutive pending stamp and restamp rows go to the server in one
// POST /api/transactions/import/batch when it offers `transactions-import-batch`. The batch's Idempotency-Key names
// its exact row set (a resend after a cut is the same request; one row more or fewer is another key, and the server's
// token SHA-256 keeps that one from storing anything twice). Each item's answer marks its row sent (with the server's
// id) or refused (with the reason), all in one ledger transaction. A row that needs an earlier one's remote id (a
// restamp of a link in this batch) ends the batch, so order is kept.
import { createHash } from 'node:crypto';
import type { Ledger } from '../ledger/open.js';
import { sql } from '../ledger/statements.js';
import { getStamp } from '../ledger/stamps.js';
import { markRefused, markSent, nextPending, noteAttempt, type OutboxRow } from './outbox.js';
import type { RemoteClient } from './types.js';

export const BATCH_EXTENSION = 'transactions-import-batch';
export const BATCH_MAX_ITEMS = 500;
/** Below the server's 8 MB body limit, with room to spare. */
export const BATCH_MAX_BYTES = 4 * 1024 * 1024;

type Item = { hashHex: string; tsrBase64: string; label?: string; parentTransactionId?: string };
type Answer = { created: boolean; id: string } | { error: string };
/** A row of the batch: sent as an item, or refused here without asking the server. */
type Entry = { readonly row: OutboxRow; readonly item: Item } | { readonly row: OutboxRow; readonly refused: string };

export type BatchOutcome = {
  readonly sent: number;
  readonly refused: readonly { readonly row: OutboxRow; readonly reason: string }[];
  /** The seq of the last row this batch settled. */
  readonly lastSeq: number;
};

const isStampRow = (r: OutboxRow) => r.kind === 'stamp' || r.kind === 'restamp';

/** The item for a row, the reason it cannot go, or 'later' when it needs a row of this same batch first. */
function entryOf(db: Ledger, row: OutboxRow, inBatch: ReadonlySet<string>): Entry | 'later' {
  const s = getStamp(db, row.recordId);
  if (!s?.tsr) return { row, refused: 'the record is no longer in the ledger, or has no token' };
  let parentTransactionId: string | undefined;
  if (s.parentId) {
    if (inBatch.has(s.parentId)) return 'later';
    const p = sql(db, 'SELECT remote_id FROM stamps WHERE id = ?').get(s.parentId) as { remote_id: string | null };
    if (!p?.remote_id)
      return { row, refused: 'the link it restamps is not on the server (offer it with sync --include-existing)' };
    parentTransactionId = p.remote_id;
  }
  const item: Item = {
    hashHex: s.imprintHex,
    tsrBase64: Buffer.from(s.tsr).toString('base64'),
    ...(s.label !== null ? { label: s.label } : {}),
    ...(parentTransactionId ? { parentTransactionId } : {}),
  };
  return { row, item };
}

/** The consecutive stamp/restamp rows from `first` on, within the item and byte limits. */
export function collectBatch(db: Ledger, first: OutboxRow): Entry[] {
  const entries: Entry[] = [];
  const inBatch = new Set<string>();
  let bytes = 0;
  let items = 0;
  for (let row: OutboxRow | undefined = first; row && isStampRow(row); row = nextPending(db, row.seq)) {
    const e = entryOf(db, row, inBatch);
    if (e === 'later') break;
    if ('item' in e) {
      const size = e.item.tsrBase64.length + 512;
      if (items > 0 && (items >= BATCH_MAX_ITEMS || bytes + size > BATCH_MAX_BYTES)) break;
      bytes += size;
      items++;
    }
    entries.push(e);
    inBatch.add(row.recordId);
  }
  return entries;
}

/** The key of exactly this row set: the rows' own keys, hashed. */
export function batchKey(rows: readonly OutboxRow[]): string {
  const h = createHash('sha256');
  for (const r of rows) h.update(`${r.idempotencyKey}\n`);
  return `sealdesk:batch:${rows[0]!.seq}-${rows[rows.length - 1]!.seq}:${h.digest('hex').slice(0, 32)}`;
}

/** The server's id kept on the local stamp, unless another record here already holds it (the same token twice). */
function keepRemoteId(db: Ledger, id: string, remoteId: string): void {
  sql(
    db,
    `UPDATE stamps SET remote_id = ? WHERE id = ? AND remote_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM stamps WHERE remote_id = ?)`,
  ).run(remoteId, id, remoteId);
}

/**
 * Sends `entries` as one batch and settles every row in one ledger transaction. A failure of the request itself
 * (OFFLINE, AUTH_REQUIRED, a 4xx of the whole batch) is noted on the rows, which stay pending, and thrown.
 */
export async function pushBatch(
  db: Ledger,
  client: RemoteClient,
  entries: readonly Entry[],
  signal?: AbortSignal,
): Promise<BatchOutcome> {
  const toSend = entries.filter((e): e is Extract<Entry, { item: Item }> => 'item' in e);
  let answers: Answer[] = [];
  if (toSend.length > 0) {
    const req = {
      method: 'POST' as const,
      path: '/api/transactions/import/batch',
      json: { items: toSend.map((e) => e.item) },
      idempotencyKey: batchKey(toSend.map((e) => e.row)),
    };
    try {
      answers = (await client.json<{ items: Answer[] }>(req, signal)).items;
    } catch (err) {
      const said = err instanceof Error ? err.message : String(err);
      db.transaction(() => toSend.forEach((e) => noteAttempt(db, e.row.seq, said)))();
      throw err;
    }
  }
  const refused: { row: OutboxRow; reason: string }[] = [];
  let sent = 0;
  db.transaction(() => {
    let k = 0;
    for (const e of entries) {
      const a: Answer | { error: string } =
        'refused' in e ? { error: e.refused } : (answers[k++] ?? { error: 'the server gave no answer for it' });
      if ('error' in a) {
        markRefused(db, e.row.seq, a.error);
        refused.push({ row: e.row, reason: a.error });
      } else {
        markSent(db, e.row.seq, a.id, () => keepRemoteId(db, e.row.recordId, a.id));
        sent++;
      }
    }
  })();
  return { sent, refused, lastSeq: entries[entries.length - 1]!.row.seq };
}
