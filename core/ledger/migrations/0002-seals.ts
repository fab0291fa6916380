// Ledger v2: the certificates Sealdesk can seal with, and every seal operation (seed /seal/certificates, /seal/operations).
import type { Database } from 'better-sqlite3';

export const version = 2;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE certificates (
      id          TEXT PRIMARY KEY,
      label       TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('active','provisioning','revoked')),
      source      TEXT NOT NULL CHECK (source IN ('local','byoc')),
      kind        TEXT NOT NULL CHECK (kind IN ('default','file','pkcs11','kms')),
      key_ref     TEXT NOT NULL,
      subject     TEXT,
      not_before  TEXT,
      not_after   TEXT,
      chain       BLOB,
      created_at  TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX certificates_one_default ON certificates (kind) WHERE kind = 'default';

    CREATE TABLE operations (
      id              TEXT PRIMARY KEY,
      document_sha512 TEXT NOT NULL CHECK (length(document_sha512) = 128),
      label           TEXT,
      status          TEXT NOT NULL CHECK (status IN ('success','timestamp_pending')),
      signature_type  TEXT NOT NULL CHECK (signature_type IN ('cades','pades')),
      certificate_id  TEXT REFERENCES certificates(id),
      cert_label      TEXT,
      file_path       TEXT,
      output_path     TEXT,
      output_sha256   TEXT,
      signature       BLOB,
      tsa_name        TEXT,
      requested_tsa   TEXT NOT NULL,
      created_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX operations_by_created ON operations (created_at);
    CREATE INDEX operations_by_document ON operations (document_sha512);
    CREATE INDEX operations_pending ON operations (status) WHERE status = 'timestamp_pending';
  `);
}
