// A ledger as version 1 of the schema left it (WAL, one pending stamp): what upgrade tests open.
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../core/ledger/migrations/index.js';

export function writeV1Ledger(path: string): void {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.transaction(() => {
    MIGRATIONS[0]!.up(raw);
    raw.pragma('user_version = 1');
  })();
  const insert =
    "INSERT INTO stamps (id, file_sha512, imprint_alg, imprint, requested_tsa, status, created_at) VALUES ('old', ?, 'sha512', x'00', 'auto', 'pending', '2025-01-01T00:00:00Z')";
  raw.prepare(insert).run('d'.repeat(128));
  raw.close();
}
