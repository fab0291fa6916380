// Ledger v5: the user's own trust anchors for verification (never the OS or web-PKI roots).
import type { Database } from 'better-sqlite3';

export const version = 5;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE trust_anchors (
      id        TEXT PRIMARY KEY,
      subject   TEXT NOT NULL,
      sha256    TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
      der       BLOB NOT NULL,
      not_after TEXT NOT NULL,
      added_at  TEXT NOT NULL
    ) STRICT;
  `);
}
