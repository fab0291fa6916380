// Ledger v11: sync with a remote API (issue 17). Records get an origin (made here, or pulled from the server) and the
// server's id; an outbox holds what must be pushed, written by triggers IN THE SAME TRANSACTION as the record, so every
// insert path (stamp, restamp, seal, import) is covered without knowing about sync. The triggers only queue while an
// account is set (settings row 'sync.account', written by core/ledger/sync.ts). Labels keep their history.
import type { Database } from 'better-sqlite3';

export const version = 11;

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";
const ACCOUNT_SET = "EXISTS (SELECT 1 FROM settings WHERE key = 'sync.account')";

/** Queues `kind` for the record (once per record: the key is the record's). */
const enqueue = (kind: string, id: string) =>
  `INSERT OR IGNORE INTO sync_outbox (kind, record_id, payload, idempotency_key, created_at)
   VALUES (${kind}, ${id}, '{}', 'sealdesk:' || ${kind} || ':' || ${id}, ${NOW});`;

const STAMP_KIND = "CASE WHEN NEW.parent_id IS NULL THEN 'stamp' ELSE 'restamp' END";

/** A label change: history row (the previous value first if the record had none), and a push when made here. */
function labelTrigger(table: 'stamps' | 'operations', kind: 'stamp' | 'seal'): string {
  const source = "CASE WHEN NEW.remote_label_at IS OLD.remote_label_at THEN 'local' ELSE 'remote' END";
  const setAt = `CASE WHEN NEW.remote_label_at IS OLD.remote_label_at THEN ${NOW} ELSE NEW.remote_label_at END`;
  return `
    CREATE TRIGGER ${table}_label_sync AFTER UPDATE OF label ON ${table}
    WHEN OLD.label IS NOT NEW.label
    BEGIN
      INSERT INTO label_history (record_kind, record_id, label, set_at, source)
        SELECT '${kind}', OLD.id, OLD.label, coalesce(OLD.remote_label_at, OLD.created_at), OLD.origin
        WHERE NOT EXISTS (SELECT 1 FROM label_history WHERE record_kind = '${kind}' AND record_id = OLD.id);
      INSERT INTO label_history (record_kind, record_id, label, set_at, source)
        VALUES ('${kind}', NEW.id, NEW.label, ${setAt}, ${source});
      UPDATE label_history SET superseded_by = last_insert_rowid()
        WHERE record_kind = '${kind}' AND record_id = NEW.id AND superseded_by IS NULL AND seq != last_insert_rowid();
      INSERT INTO sync_outbox (kind, record_id, payload, idempotency_key, created_at)
        SELECT 'label', NEW.id, json_object('recordKind', '${kind}', 'label', NEW.label),
               'sealdesk:label:' || NEW.id || ':' || lower(hex(randomblob(8))), ${NOW}
        WHERE ${ACCOUNT_SET} AND NEW.remote_label_at IS OLD.remote_label_at;
    END;`;
}

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE stamps ADD COLUMN origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local','remote'));
    ALTER TABLE stamps ADD COLUMN remote_id TEXT;
    ALTER TABLE stamps ADD COLUMN remote_parent_id TEXT;
    ALTER TABLE stamps ADD COLUMN remote_label_at TEXT;
    CREATE UNIQUE INDEX stamps_remote_id ON stamps (remote_id) WHERE remote_id IS NOT NULL;
    CREATE INDEX stamps_by_token ON stamps (tsr_sha256) WHERE tsr_sha256 IS NOT NULL;
    CREATE INDEX stamps_by_imprint ON stamps (imprint) WHERE origin = 'remote';

    ALTER TABLE operations ADD COLUMN origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local','remote'));
    ALTER TABLE operations ADD COLUMN remote_id TEXT;
    ALTER TABLE operations ADD COLUMN remote_label_at TEXT;
    ALTER TABLE operations ADD COLUMN remote_document_sha256 TEXT;
    CREATE UNIQUE INDEX operations_remote_id ON operations (remote_id) WHERE remote_id IS NOT NULL;

    CREATE TABLE sync_outbox (
      seq             INTEGER PRIMARY KEY,
      kind            TEXT NOT NULL CHECK (kind IN ('stamp','restamp','seal','label','remote-stamp','remote-seal',
                                                    'remote-restamp')),
      record_id       TEXT NOT NULL,
      payload         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
      idempotency_key TEXT NOT NULL UNIQUE,
      created_at      TEXT NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT,
      state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','refused')),
      remote_id       TEXT
    ) STRICT;
    CREATE INDEX sync_outbox_pending ON sync_outbox (seq) WHERE state = 'pending';
    CREATE INDEX sync_outbox_by_record ON sync_outbox (record_id);

    CREATE TABLE label_history (
      seq           INTEGER PRIMARY KEY,
      record_kind   TEXT NOT NULL CHECK (record_kind IN ('stamp','seal')),
      record_id     TEXT NOT NULL,
      label         TEXT,
      set_at        TEXT NOT NULL,
      source        TEXT NOT NULL CHECK (source IN ('local','remote')),
      superseded_by INTEGER REFERENCES label_history(seq)
    ) STRICT;
    CREATE INDEX label_history_by_record ON label_history (record_kind, record_id, seq);

    CREATE TRIGGER stamps_insert_sync AFTER INSERT ON stamps
    WHEN NEW.origin = 'local' AND NEW.status = 'stamped' AND ${ACCOUNT_SET}
    BEGIN ${enqueue(STAMP_KIND, 'NEW.id')} END;
    CREATE TRIGGER stamps_complete_sync AFTER UPDATE OF status ON stamps
    WHEN OLD.status = 'pending' AND NEW.status = 'stamped' AND NEW.origin = 'local' AND ${ACCOUNT_SET}
    BEGIN ${enqueue(STAMP_KIND, 'NEW.id')} END;
    CREATE TRIGGER operations_insert_sync AFTER INSERT ON operations
    WHEN NEW.origin = 'local' AND NEW.status = 'success' AND ${ACCOUNT_SET}
    BEGIN ${enqueue("'seal'", 'NEW.id')} END;
    CREATE TRIGGER operations_complete_sync AFTER UPDATE OF status ON operations
    WHEN OLD.status = 'timestamp_pending' AND NEW.status = 'success' AND NEW.origin = 'local' AND ${ACCOUNT_SET}
    BEGIN ${enqueue("'seal'", 'NEW.id')} END;
    ${labelTrigger('stamps', 'stamp')}
    ${labelTrigger('operations', 'seal')}
  `);
}
