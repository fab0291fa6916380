// Ledger v8: archive restamping of seals — until when each sealed file is protected (its newest time-stamp's TSA
// certificate), write-ahead intents for in-place extensions (a kill between rename and ledger update is recovered),
// and bulk-run journal items for seals.
import type { Database } from 'better-sqlite3';

export const version = 8;

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE operations ADD COLUMN protected_until TEXT;
    ALTER TABLE operations ADD COLUMN protected_sha256 TEXT;
    CREATE INDEX operations_by_protected_until ON operations (protected_until) WHERE protected_until IS NOT NULL;
    CREATE TABLE operation_intents (
      operation_id TEXT PRIMARY KEY REFERENCES operations(id),
      sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
      size         INTEGER NOT NULL,
      level        TEXT,
      tsa_name     TEXT,
      at           TEXT NOT NULL
    ) STRICT;
    CREATE TABLE restamp_job_seals (
      job_id       TEXT NOT NULL REFERENCES restamp_jobs(id),
      operation_id TEXT NOT NULL REFERENCES operations(id),
      state        TEXT NOT NULL CHECK (state IN ('pending','done','failed')),
      error        TEXT,
      PRIMARY KEY (job_id, operation_id)
    ) STRICT;
  `);
}
