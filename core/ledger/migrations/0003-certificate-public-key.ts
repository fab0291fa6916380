// Ledger v3: the provisioned key's public key (SPKI DER), so `cert activate` can check the CA's certificate matches it.
import type { Database } from 'better-sqlite3';

export const version = 3;

export function up(db: Database): void {
  db.exec('ALTER TABLE certificates ADD COLUMN spki BLOB');
}
