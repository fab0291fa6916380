// The sync outbox (ledger table sync_outbox, filled by migration 11's triggers in the record's own transaction): the
// rows a push sends in order, their outcome (sent with the server's id, or refused with the reason in words), and the
// one-time offer of records made before the account existed (`sync --include-existing`).
import type { Ledger } from '../ledger/open.js';
import { sql } from '../ledger/statements.js';

export type OutboxKind = 'stamp' | 'restamp' | 'seal' | 'label' | 'remote-stamp' | 'remote-seal' | 'remote-restamp';

export type OutboxRow = {
  readonly seq: number;
  readonly kind: OutboxKind;
  readonly recordId: string;
  readonly payload: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly createdAt: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly state: 'pending' | 'sent' | 'refused';
  readonly remoteId: string | null;
};

type Row = {
  seq: number;
  kind: string;
  record_id: string;
  payload: string;
  idempotency_key: string;
  created_at: string;
  attempts: number;
  last_error: string | null;
  state: string;
  remote_id: string | null;
};

const fromRow = (r: Row): OutboxRow => ({
  seq: r.seq,
  kind: r.kind as OutboxKind,
  recordId: r.record_id,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at,
  attempts: r.attempts,
  lastError: r.last_error,
  state: r.state as OutboxRow['state'],
  remoteId: r.remote_id,
});

/** The next pending row after `afterSeq`, in seq order (one at a time: a run may add rows while it sends). */
export function nextPending(db: Ledger, afterSeq: number): OutboxRow | undefined {
  const row = sql(db, "SELECT * FROM sync_outbox WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT 1").get(
    afterSeq,
  ) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

export function outboxRows(db: Ledger, state?: OutboxRow['state']): OutboxRow[] {
  const rows = state
    ? sql(db, 'SELECT * FROM sync_outbox WHERE state = ? ORDER BY seq').all(state)
    : sql(db, 'SELECT * FROM sync_outbox ORDER BY seq').all();
  return (rows as Row[]).map(fromRow);
}

export function outboxCounts(db: Ledger): {
  readonly pending: number;
  readonly refused: number;
  readonly sent: number;
} {
  const rows = sql(db, 'SELECT state, count(*) AS n FROM sync_outbox GROUP BY state').all() as {
    state: string;
    n: number;
  }[];
  const n = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
  return { pending: n('pending'), refused: n('refused'), sent: n('sent') };
}

/** The row reached the server: its id there (null for a label), recorded with `also` in one transaction. */
export function markSent(db: Ledger, seq: number, remoteId: string | null, also?: () => void): void {
  db.transaction(() => {
    also?.();
    sql(db, "UPDATE sync_outbox SET state = 'sent', remote_id = ?, attempts = attempts + 1 WHERE seq = ?").run(
      remoteId,
      seq,
    );
  })();
}

/** The server cannot take this row (no such extension, a 4xx): kept with the reason, never sent again by itself. */
export function markRefused(db: Ledger, seq: number, reason: string): void {
  sql(db, "UPDATE sync_outbox SET state = 'refused', last_error = ?, attempts = attempts + 1 WHERE seq = ?").run(
    reason,
    seq,
  );
}

/** A try that did not settle the row (offline, sign-in needed): the row stays pending. */
export function noteAttempt(db: Ledger, seq: number, error: string): void {
  sql(db, 'UPDATE sync_outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?').run(error, seq);
}

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

/**
 * Offers the local records made before the account existed: every stamped local stamp (parents before their
 * restamps) and every finished local seal. The keys are the triggers' own, so a record already queued — or offered by
 * an earlier call — is not added again. Returns how many rows were added.
 */
export function enqueueExisting(db: Ledger): number {
  return db.transaction(() => {
    const stamps = sql(
      db,
      `INSERT OR IGNORE INTO sync_outbox (kind, record_id, payload, idempotency_key, created_at)
       SELECT k.kind, k.id, '{}', 'sealdesk:' || k.kind || ':' || k.id, ${NOW} FROM (
         SELECT id, CASE WHEN parent_id IS NULL THEN 'stamp' ELSE 'restamp' END AS kind FROM stamps
         WHERE origin = 'local' AND status = 'stamped' ORDER BY created_at, rowid) k`,
    ).run().changes;
    const seals = sql(
      db,
      `INSERT OR IGNORE INTO sync_outbox (kind, record_id, payload, idempotency_key, created_at)
       SELECT 'seal', id, '{}', 'sealdesk:seal:' || id, ${NOW} FROM operations
       WHERE origin = 'local' AND status = 'success' ORDER BY created_at, rowid`,
    ).run().changes;
    return stamps + seals;
  })();
}
