// Archive restamping of seals: until when each sealed file is protected, write-ahead intents for in-place
// extensions, and the seal items of a bulk restamp run (ledger v8).
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export type SealProtection = {
  readonly id: string;
  readonly signatureType: 'pades' | 'cades';
  readonly outputPath: string;
  readonly outputSha256: string;
};

/** Its WHERE is the partial index operations_stale_protection's (migration 0009), term for term, so SQLite uses it. */
export const STALE_PROTECTION_SQL = `SELECT id, signature_type, output_path, output_sha256 FROM operations
    WHERE status = 'success' AND output_path IS NOT NULL AND output_sha256 IS NOT NULL AND (protected_sha256 IS NULL OR protected_sha256 != output_sha256) LIMIT ?`;

/** Seals whose protected-until date was never read from the file as it is now (new, or extended since). */
export function staleProtection(db: Ledger, limit = 1000): SealProtection[] {
  const rows = sql(db, STALE_PROTECTION_SQL).all(limit) as {
    id: string;
    signature_type: 'pades' | 'cades';
    output_path: string;
    output_sha256: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    signatureType: r.signature_type,
    outputPath: r.output_path,
    outputSha256: r.output_sha256,
  }));
}

/** `until` null: the file carries no readable time-stamp (nothing to restamp until it has one). */
export function setProtectedUntil(db: Ledger, id: string, until: string | null, sha256: string): void {
  sql(db, 'UPDATE operations SET protected_until = ?, protected_sha256 = ? WHERE id = ?').run(until, sha256, id);
}

export type ExpiringSeal = {
  readonly id: string;
  readonly signatureType: 'pades' | 'cades';
  readonly outputPath: string;
  readonly protectedUntil: string;
  readonly tsaName: string | null;
};

/** Seals whose newest time-stamp's TSA certificate expires before `before` (index range scan), soonest first. */
export const EXPIRING_SEALS_SQL = `SELECT id, signature_type, output_path, protected_until, tsa_name FROM operations
    WHERE protected_until IS NOT NULL AND protected_until < ? AND status = 'success' ORDER BY protected_until`;

export function expiringSeals(db: Ledger, before: Date): ExpiringSeal[] {
  const rows = sql(db, EXPIRING_SEALS_SQL).all(before.toISOString()) as {
    id: string;
    signature_type: 'pades' | 'cades';
    output_path: string;
    protected_until: string;
    tsa_name: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    signatureType: r.signature_type,
    outputPath: r.output_path,
    protectedUntil: r.protected_until,
    tsaName: r.tsa_name,
  }));
}

export type ExtensionIntent = {
  readonly operationId: string;
  readonly sha256: string;
  readonly size: number;
  readonly level: string | null;
  readonly tsaName: string | null;
  readonly at: string;
};

/** Written before a sealed file is replaced by its extension: if the process dies after the rename, the next run adopts it. */
export function recordIntent(db: Ledger, i: ExtensionIntent): void {
  sql(
    db,
    `INSERT INTO operation_intents (operation_id, sha256, size, level, tsa_name, at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (operation_id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, level = excluded.level, tsa_name = excluded.tsa_name, at = excluded.at`,
  ).run(i.operationId, i.sha256, i.size, i.level, i.tsaName, i.at);
}

export function getIntent(db: Ledger, operationId: string): ExtensionIntent | undefined {
  const r = sql(db, 'SELECT * FROM operation_intents WHERE operation_id = ?').get(operationId) as
    | { operation_id: string; sha256: string; size: number; level: string | null; tsa_name: string | null; at: string }
    | undefined;
  return r
    ? { operationId: r.operation_id, sha256: r.sha256, size: r.size, level: r.level, tsaName: r.tsa_name, at: r.at }
    : undefined;
}

export function clearIntent(db: Ledger, operationId: string): void {
  sql(db, 'DELETE FROM operation_intents WHERE operation_id = ?').run(operationId);
}

export type JobSeal = {
  readonly operationId: string;
  readonly state: 'pending' | 'done' | 'failed';
  readonly error: string | null;
};

export function addJobSeals(db: Ledger, jobId: string, operationIds: readonly string[]): void {
  const stmt = sql(
    db,
    "INSERT OR IGNORE INTO restamp_job_seals (job_id, operation_id, state) VALUES (?, ?, 'pending')",
  );
  db.transaction(() => {
    for (const id of operationIds) stmt.run(jobId, id);
  })();
}

export function jobSeals(db: Ledger, jobId: string): JobSeal[] {
  const rows = sql(db, 'SELECT operation_id, state, error FROM restamp_job_seals WHERE job_id = ? ORDER BY rowid').all(
    jobId,
  ) as { operation_id: string; state: JobSeal['state']; error: string | null }[];
  return rows.map((r) => ({ operationId: r.operation_id, state: r.state, error: r.error }));
}

export function markJobSeal(
  db: Ledger,
  jobId: string,
  operationId: string,
  state: 'done' | 'failed',
  error: string | null = null,
): void {
  sql(db, 'UPDATE restamp_job_seals SET state = ?, error = ? WHERE job_id = ? AND operation_id = ?').run(
    state,
    error,
    jobId,
    operationId,
  );
}
