// The TSA failure log (seed 001: "Every failure is logged … with classification"): one row per failed attempt.
import type { TsaFailure } from '../../core/errors.js';
import type { Sql } from '../db/sql.js';

export async function logFailures(sql: Sql, tenantId: string | null, failures: readonly TsaFailure[]): Promise<void> {
  for (const f of failures) {
    await sql.query(
      `INSERT INTO tsa_failures (tenant_id, tsa_slug, tsa_name, error_class, status_code, message, latency_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, f.slug, f.tsa, f.errorClass, f.statusCode, f.message.slice(0, 2000), f.latencyMs],
    );
  }
}
