// Sync state kept in the ledger: which server this ledger syncs with (the settings row the outbox triggers of
// migration 11 test), the pull cursors, and the last run's outcome. Credentials are never stored here.
import type { StampRecord } from '../model/stamp.js';
import type { Ledger } from './open.js';
import { getStamp } from './stamps.js';
import { sql } from './statements.js';

const ACCOUNT = 'sync.account';

function getSetting(db: Ledger, key: string): string | null {
  const row = sql(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

function putSetting(db: Ledger, key: string, value: string | null): void {
  if (value === null) sql(db, 'DELETE FROM settings WHERE key = ?').run(key);
  else
    sql(
      db,
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
}

/**
 * The server this ledger syncs with; null: no account, nothing is queued from now on (queued rows are kept). From the
 * moment it is set, every local stamp, restamp, seal and label change gets its outbox row in its own transaction.
 * Another server than before starts the pull from scratch (the cursors belong to a server).
 */
export function setSyncAccount(db: Ledger, serverUrl: string | null): void {
  db.transaction(() => {
    const before = getSetting(db, ACCOUNT);
    if (before !== serverUrl) sql(db, "DELETE FROM settings WHERE key LIKE 'sync.cursor.%'").run();
    putSetting(db, ACCOUNT, serverUrl);
  })();
}

export function syncAccount(db: Ledger): string | null {
  return getSetting(db, ACCOUNT);
}

export type PullCursor = 'transactions' | 'seals';

export function pullCursor(db: Ledger, name: PullCursor): string | null {
  return getSetting(db, `sync.cursor.${name}`);
}

export function setPullCursor(db: Ledger, name: PullCursor, value: string): void {
  putSetting(db, `sync.cursor.${name}`, value);
}

export type LastRun = {
  readonly at: string | null;
  readonly error: string | null;
  /** The error's code (OFFLINE, AUTH_REQUIRED, …), null when the last run finished. */
  readonly code: string | null;
};

export function lastSyncRun(db: Ledger): LastRun {
  return {
    at: getSetting(db, 'sync.last-run'),
    error: getSetting(db, 'sync.last-error'),
    code: getSetting(db, 'sync.last-error-code'),
  };
}

export function recordSyncRun(db: Ledger, at: Date, error: { code: string; message: string } | null): void {
  db.transaction(() => {
    putSetting(db, 'sync.last-run', at.toISOString());
    putSetting(db, 'sync.last-error', error?.message ?? null);
    putSetting(db, 'sync.last-error-code', error?.code ?? null);
  })();
}

/** Bulk restamp selection by origin: chains made here, pulled from the server, or both. */
export type RestampScope = 'local' | 'remote' | 'all';

export const inScope = (origin: 'local' | 'remote', scope: RestampScope): boolean =>
  scope === 'all' || origin === scope;

/** Drops a just-journaled run's chains outside `scope` (call in the transaction that created the run). */
export function keepJobScope(db: Ledger, jobId: string, scope: RestampScope): void {
  if (scope === 'all') return;
  sql(
    db,
    `DELETE FROM restamp_job_items WHERE job_id = ?
       AND stamp_id IN (SELECT id FROM stamps WHERE origin != ?)`,
  ).run(jobId, scope);
}

/** A pulled stamp whose imprint is not SHA-512 has no known file SHA-512 (128 zeros): lookup finds it by imprint. */
export const UNKNOWN_SHA512 = '0'.repeat(128);

/** Pulled stamps (and their chains' later links) of a content known only by these imprints, newest first. */
export function remoteStampsByImprint(db: Ledger, imprints: readonly Uint8Array[]): StampRecord[] {
  if (imprints.length === 0 || !hasImprintOnlyStamps(db)) return [];
  const roots = sql(
    db,
    `SELECT id FROM stamps WHERE origin = 'remote' AND file_sha512 = ?
       AND imprint IN (${imprints.map(() => '?').join(', ')})`,
  ).all(UNKNOWN_SHA512, ...imprints.map((i) => Buffer.from(i))) as { id: string }[];
  return roots.map((r) => getStamp(db, r.id)!).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Whether any pulled stamp is known by its imprint only (then a lookup also hashes with SHA-256 and SHA-384). */
export function hasImprintOnlyStamps(db: Ledger): boolean {
  return sql(db, 'SELECT 1 FROM stamps WHERE file_sha512 = ? LIMIT 1').get(UNKNOWN_SHA512) !== undefined;
}
