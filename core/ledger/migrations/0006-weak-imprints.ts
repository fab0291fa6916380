// Ledger v6: links whose imprint uses SHA-1, found without a scan (bulk restamping with --include-weak-hashes).
import type { Database } from 'better-sqlite3';

export const version = 6;

export function up(db: Database): void {
  db.exec("CREATE INDEX stamps_weak_imprint ON stamps (imprint_alg) WHERE status = 'stamped' AND imprint_alg = 'sha1'");
}
