// The stamp record (table transactions): storing a token with the facts read from it, and the seed's views of it.
import { createHash } from 'node:crypto';
import type { TokenReport } from '../../core/tsp/token-report.js';
import { one, type Sql } from '../db/sql.js';

export type TransactionRow = {
  id: string;
  tenant_id: string;
  hash_hex: string;
  hash_algorithm_oid: string;
  label: string | null;
  tsa_slug: string | null;
  tsa_name: string;
  serial: string;
  gen_time: Date;
  tsr: Uint8Array;
  cert_not_before: Date | null;
  cert_not_after: Date | null;
  qualified: boolean;
  policy_oid: string | null;
  parent_id: string | null;
  origin: 'stamp' | 'restamp' | 'import';
  created_at: Date;
};

export type NewRecord = {
  readonly tenantId: string;
  readonly userId: string | null;
  readonly hashHex: string;
  readonly label: string | null;
  readonly tsaSlug: string | null;
  readonly qualified: boolean;
  readonly parentId: string | null;
  readonly origin: 'stamp' | 'restamp' | 'import';
  readonly tsr: Uint8Array;
  readonly report: TokenReport;
  /** The Idempotency-Key of the request that made it (tenant scope), so a retry after a crash finds it. */
  readonly idempotencyKey?: string | null;
};

export const tokenSha256 = (tsr: Uint8Array): string => createHash('sha256').update(tsr).digest('hex');

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Inserts the record; a token the tenant already has (same SHA-256) gives the existing row and `created: false`. */
export async function insertRecord(sql: Sql, r: NewRecord): Promise<{ row: TransactionRow; created: boolean }> {
  const p = r.report;
  const sha = tokenSha256(r.tsr);
  const row = await one<TransactionRow>(
    sql,
    `INSERT INTO transactions (tenant_id, user_id, hash_hex, hash_algorithm_oid, label, tsa_slug, tsa_name, serial,
       gen_time,
       tsr, token_sha256, cert_not_before, cert_not_after, qualified, policy_oid, parent_id, origin, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (tenant_id, token_sha256) DO NOTHING RETURNING *`,
    [
      r.tenantId,
      r.userId,
      r.hashHex.toLowerCase(),
      p.hashAlgorithmOid,
      r.label,
      r.tsaSlug,
      p.tsaName ?? r.tsaSlug ?? 'unknown',
      p.serialHex,
      p.genTime,
      r.tsr,
      sha,
      p.signer?.notBefore ?? null,
      p.signer?.notAfter ?? null,
      r.qualified,
      r.qualified ? p.policyOid : null,
      r.parentId,
      r.origin,
      r.idempotencyKey ?? null,
    ],
  );
  if (row) return { row, created: true };
  const existing = await one<TransactionRow>(
    sql,
    'SELECT * FROM transactions WHERE tenant_id = $1 AND token_sha256 = $2',
    [r.tenantId, sha],
  );
  return { row: existing!, created: false };
}

export async function recordOf(sql: Sql, id: string): Promise<TransactionRow | null> {
  return one<TransactionRow>(sql, 'SELECT * FROM transactions WHERE id = $1', [id]);
}

/** POST /tsa/stamp-hash's 200 body (seed 001). */
export const stampView = (t: TransactionRow) => ({
  serial: t.serial,
  genTime: iso(t.gen_time),
  hashAlgorithmOid: t.hash_algorithm_oid,
  hashHex: t.hash_hex,
  tsrBase64: Buffer.from(t.tsr).toString('base64'),
  tsaName: t.tsa_name,
  qualified: t.qualified,
  policyOid: t.qualified ? t.policy_oid : null,
});

/** One record of GET /api/lookup (seed 001's `latest`). */
export const lookupView = (t: TransactionRow) => ({
  id: t.id,
  tsaName: t.tsa_name,
  genTime: iso(t.gen_time),
  label: t.label,
  certNotAfter: iso(t.cert_not_after),
  tsrBase64: Buffer.from(t.tsr).toString('base64'),
});

/** One item of GET /api/transactions/details (the seed leaves items open: every fact of the record but the token). */
export const detailView = (t: TransactionRow) => ({
  id: t.id,
  hashHex: t.hash_hex,
  hashAlgorithmOid: t.hash_algorithm_oid,
  label: t.label,
  tsaSlug: t.tsa_slug,
  tsaName: t.tsa_name,
  serial: t.serial,
  genTime: iso(t.gen_time),
  certNotBefore: iso(t.cert_not_before),
  certNotAfter: iso(t.cert_not_after),
  qualified: t.qualified,
  policyOid: t.policy_oid,
  parentTransactionId: t.parent_id,
  origin: t.origin,
  createdAt: iso(t.created_at),
});
