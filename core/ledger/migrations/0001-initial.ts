// Ledger v1: stamp records, the TSA list and its round-robin cursor, the TSA failure log.
import type { Database } from 'better-sqlite3';
import { BUILTIN_TSAS } from '../../tsp/registry.js';

export const version = 1;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE stamps (
      id                 TEXT PRIMARY KEY,
      file_sha512        TEXT NOT NULL CHECK (length(file_sha512) = 128),
      imprint_alg        TEXT NOT NULL CHECK (imprint_alg IN ('sha1','sha256','sha384','sha512')),
      imprint            BLOB NOT NULL,
      label              TEXT,
      file_path          TEXT,
      tsr_path           TEXT,
      requested_tsa      TEXT NOT NULL,
      status             TEXT NOT NULL CHECK (status IN ('stamped','pending')),
      tsa_slug           TEXT,
      tsa_name           TEXT,
      gen_time           TEXT,
      serial             TEXT,
      policy_oid         TEXT,
      tsa_cert_not_after TEXT,
      tsr                BLOB,
      tsr_sha256         TEXT,
      qualified          INTEGER NOT NULL DEFAULT 0,
      parent_id          TEXT REFERENCES stamps(id),
      created_at         TEXT NOT NULL,
      sync_state         TEXT NOT NULL DEFAULT 'local' CHECK (sync_state IN ('local','queued','synced')),
      CHECK (status = 'pending' OR (tsr IS NOT NULL AND gen_time IS NOT NULL))
    ) STRICT;
    CREATE INDEX stamps_by_file ON stamps (file_sha512, created_at);
    CREATE INDEX stamps_by_created ON stamps (created_at);
    CREATE INDEX stamps_pending ON stamps (status) WHERE status = 'pending';
    CREATE INDEX stamps_by_cert_expiry ON stamps (tsa_cert_not_after) WHERE status = 'stamped';
    CREATE INDEX stamps_by_parent ON stamps (parent_id) WHERE parent_id IS NOT NULL;

    CREATE TABLE tsa_providers (
      slug           TEXT PRIMARY KEY,
      id             TEXT NOT NULL UNIQUE,
      name           TEXT NOT NULL,
      url            TEXT,
      preferred_hash TEXT NOT NULL CHECK (preferred_hash IN ('sha256','sha384','sha512')),
      qualified      INTEGER NOT NULL,
      enabled        INTEGER NOT NULL,
      position       INTEGER NOT NULL,
      builtin        INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE tsa_failures (
      seq         INTEGER PRIMARY KEY,
      at          TEXT NOT NULL,
      tsa_slug    TEXT NOT NULL,
      tsa_name    TEXT NOT NULL,
      error_class TEXT NOT NULL CHECK (error_class IN ('network','timeout','http_status','parse','unknown')),
      status_code INTEGER,
      message     TEXT NOT NULL,
      latency_ms  INTEGER NOT NULL,
      stamp_id    TEXT
    ) STRICT;
    CREATE INDEX tsa_failures_by_at ON tsa_failures (at);

    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `);
  const insert = db.prepare(
    'INSERT INTO tsa_providers (slug, id, name, url, preferred_hash, qualified, enabled, position, builtin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)',
  );
  BUILTIN_TSAS.forEach((t, i) =>
    insert.run(t.slug, t.id, t.name, t.url, t.preferredHash, t.qualified ? 1 : 0, t.enabled ? 1 : 0, i + 1),
  );
}
