// Ledger v9: the seals whose protected-until date must be read again (new, or extended since it was read) are found
// by an index, not by scanning every operation at each bulk selection. The WHERE is the one staleProtection() asks.
import type { Database } from 'better-sqlite3';

export const version = 9;

export function up(db: Database): void {
  db.exec(`
    CREATE INDEX operations_stale_protection ON operations (id)
      WHERE status = 'success' AND output_path IS NOT NULL AND output_sha256 IS NOT NULL AND (protected_sha256 IS NULL OR protected_sha256 != output_sha256);
  `);
}
