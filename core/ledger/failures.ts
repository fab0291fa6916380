// The TSA failure log: every failed attempt with its seed-stable errorClass.
import type { TsaFailure } from '../errors.js';
import type { FailureLogEntry } from '../model/stamp.js';
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export function logFailure(db: Ledger, f: TsaFailure, tsaSlug: string, at: string, stampId: string | null): void {
  sql(
    db,
    'INSERT INTO tsa_failures (at, tsa_slug, tsa_name, error_class, status_code, message, latency_ms, stamp_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(at, tsaSlug, f.tsa, f.errorClass, f.statusCode, f.message, f.latencyMs, stampId);
}

export function recentFailures(db: Ledger, limit = 50, tsaSlug?: string): FailureLogEntry[] {
  const rows = sql(
    db,
    `SELECT * FROM tsa_failures ${tsaSlug ? 'WHERE tsa_slug = ?' : ''} ORDER BY seq DESC LIMIT ?`,
  ).all(...(tsaSlug ? [tsaSlug, limit] : [limit])) as {
    at: string;
    tsa_slug: string;
    tsa_name: string;
    error_class: string;
    status_code: number | null;
    message: string;
    latency_ms: number;
    stamp_id: string | null;
  }[];
  return rows.map((r) => ({
    at: r.at,
    tsaSlug: r.tsa_slug,
    tsa: r.tsa_name,
    errorClass: r.error_class,
    statusCode: r.status_code,
    message: r.message,
    latencyMs: r.latency_ms,
    stampId: r.stamp_id,
  }));
}
