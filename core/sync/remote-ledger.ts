// The ledger side of remote work (issue 17, `stamp --remote`, `seal --remote-cert`, `restamp --remote`): queue the
// work in the outbox when the server cannot be reached, and record the server's id on what it made, so neither a push
// (the outbox trigger of migration 11 queues every local record) nor a pull brings that record to the other side again.
import type { Ledger } from '../ledger/open.js';
import { sql } from '../ledger/statements.js';

export type RemoteWorkKind = 'remote-stamp' | 'remote-seal' | 'remote-restamp';
export type RemoteRecordKind = 'stamp' | 'restamp' | 'seal';

/** One outbox row for `recordId` (a second call for the same id adds nothing). */
export function enqueueRemoteWork(db: Ledger, kind: RemoteWorkKind, recordId: string, payload: unknown): void {
  sql(
    db,
    `INSERT OR IGNORE INTO sync_outbox (kind, record_id, payload, idempotency_key, created_at)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(kind, recordId, JSON.stringify(payload), `sealdesk:${kind}:${recordId}`, new Date().toISOString());
}

/**
 * The record came from the server: its id is kept, and the push the insert trigger queued for it is marked sent (the
 * server has it already). Call inside the transaction that inserted the record.
 */
export function setRemoteId(db: Ledger, kind: RemoteRecordKind, recordId: string, remoteId: string | null): void {
  const table = kind === 'seal' ? 'operations' : 'stamps';
  const key = `sealdesk:${kind}:${recordId}`;
  if (remoteId !== null)
    sql(
      db,
      `UPDATE ${table} SET remote_id = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM ${table} WHERE remote_id = ?)`,
    ).run(remoteId, recordId, remoteId);
  // Also without the trigger's row (no account in the ledger yet): `sync --include-existing` then skips it.
  sql(
    db,
    `INSERT OR IGNORE INTO sync_outbox (kind, record_id, payload, idempotency_key, created_at, state, remote_id)
     VALUES (?, ?, '{}', ?, ?, 'sent', ?)`,
  ).run(kind, recordId, key, new Date().toISOString(), remoteId);
  sql(db, `UPDATE sync_outbox SET state = 'sent', remote_id = ? WHERE idempotency_key = ? AND state = 'pending'`).run(
    remoteId,
    key,
  );
}

/** The server's id of a record, or null when it was never pushed or pulled. */
export function remoteIdOfRecord(db: Ledger, kind: RemoteRecordKind, recordId: string): string | null {
  const table = kind === 'seal' ? 'operations' : 'stamps';
  const row = sql(db, `SELECT remote_id FROM ${table} WHERE id = ?`).get(recordId) as
    { remote_id: string | null } | undefined;
  return row?.remote_id ?? null;
}

/** The stamp that holds this token (by its SHA-256), if any: one token is one record. */
export function stampWithToken(db: Ledger, tsrSha256: string): string | null {
  const row = sql(db, 'SELECT id FROM stamps WHERE tsr_sha256 = ? ORDER BY rowid LIMIT 1').get(tsrSha256) as
    { id: string } | undefined;
  return row?.id ?? null;
}
