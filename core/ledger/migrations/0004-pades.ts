// Ledger v4: PAdES levels on seal operations, the history of every file a seal wrote, and cached revocation data.
import type { Database } from 'better-sqlite3';

export const version = 4;

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE operations ADD COLUMN level TEXT;
    ALTER TABLE operations ADD COLUMN reached_level TEXT;

    CREATE TABLE operation_files (
      operation_id TEXT NOT NULL REFERENCES operations(id),
      step         INTEGER NOT NULL,
      level        TEXT,
      path         TEXT NOT NULL,
      sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
      size         INTEGER NOT NULL,
      at           TEXT NOT NULL,
      PRIMARY KEY (operation_id, step)
    ) STRICT;

    CREATE TABLE revocation_cache (
      kind        TEXT NOT NULL CHECK (kind IN ('ocsp','crl')),
      url         TEXT NOT NULL,
      cert_sha256 TEXT NOT NULL,
      der         BLOB NOT NULL,
      fetched_at  TEXT NOT NULL,
      next_update TEXT,
      PRIMARY KEY (kind, url, cert_sha256)
    ) STRICT;
  `);
}
