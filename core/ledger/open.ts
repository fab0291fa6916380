// Opens the SQLite ledger: WAL, foreign keys, migrations in transactions, newer databases refused.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LedgerError, errorMessage } from '../errors.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';

export type Ledger = Database.Database;

export function openLedger(path: string): Ledger {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let db: Ledger;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    throw new LedgerError('DB_CORRUPT', `cannot open the ledger at ${path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    migrate(db, path);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function migrate(db: Ledger, path = 'the ledger'): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new LedgerError('DB_FROM_FUTURE', `${path} was written by a newer Sealdesk (schema ${current}; this version knows up to ${LATEST_VERSION}): update Sealdesk`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
