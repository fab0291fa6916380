// Opens the SQLite ledger: WAL, foreign keys, migrations in one write transaction, newer databases refused.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LedgerError, errorMessage } from '../errors.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';

export type Ledger = Database.Database;

export type OpenLedgerOptions = {
  /** Told the versions this open migrated the ledger through (none when it was current, or another process did it). */
  readonly onMigrated?: (applied: readonly number[]) => void;
};

export function openLedger(path: string, o: OpenLedgerOptions = {}): Ledger {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let db: Ledger;
  try {
    db = new Database(path);
    // Before WAL: switching a ledger to WAL takes a lock another process opening it at the same moment may hold.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    throw new LedgerError('DB_CORRUPT', `cannot open the ledger at ${path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    const applied = migrate(db, path);
    o.onMigrated?.(applied);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * Brings the ledger to LATEST_VERSION; returns the versions this call applied (empty: nothing to do, or another
 * process did it). The version read before is only a hint: the one that decides is read again inside the IMMEDIATE
 * transaction, which holds SQLite's write lock — a CLI and the app opening an old ledger at once queue on that lock,
 * the first migrates, the second reads the new version and does nothing. All pending migrations run in that one
 * transaction, so a crash leaves the ledger at its old version or at the latest, never between.
 */
export function migrate(db: Ledger, path = 'the ledger'): number[] {
  const refuseFuture = (v: number) => {
    if (v > LATEST_VERSION) {
      const why = `${path} was written by a newer Sealdesk (schema ${v}; this version knows up to ${LATEST_VERSION}): update Sealdesk`;
      throw new LedgerError('DB_FROM_FUTURE', why);
    }
  };
  const hint = userVersion(db);
  refuseFuture(hint);
  if (hint === LATEST_VERSION) return [];
  return db
    .transaction(() => {
      const current = userVersion(db);
      refuseFuture(current);
      const applied: number[] = [];
      for (const m of MIGRATIONS) {
        if (m.version <= current) continue;
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
        applied.push(m.version);
      }
      return applied;
    })
    .immediate();
}

function userVersion(db: Ledger): number {
  return db.pragma('user_version', { simple: true }) as number;
}
