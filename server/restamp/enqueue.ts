// POST /api/restamp/bulk's job: every due record of the tenant (the newest link of each chain whose TSA certificate
// expires within the window) queued in one transaction; and the job's progress for GET /api/restamp/bulk/{id}.
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';

export type BulkJob = { readonly id: string; readonly total: number };

export async function enqueueBulk(ctx: ServerContext, tenantId: string, expiringWithinDays: number): Promise<BulkJob> {
  const windowEnd = new Date(ctx.now().getTime() + expiringWithinDays * 86_400_000);
  return ctx.db.tx(async (sql) => {
    const job = await one<{ id: string }>(
      sql,
      'INSERT INTO restamp_jobs (tenant_id, expiring_within_days) VALUES ($1, $2) RETURNING id',
      [tenantId, expiringWithinDays],
    );
    const items = await sql.query(
      `INSERT INTO restamp_items (job_id, transaction_id)
       SELECT $1, t.id FROM transactions t
       WHERE t.tenant_id = $2 AND t.cert_not_after IS NOT NULL AND t.cert_not_after <= $3
         AND NOT EXISTS (SELECT 1 FROM transactions c WHERE c.parent_id = t.id)
       RETURNING transaction_id`,
      [job!.id, tenantId, windowEnd],
    );
    if (items.length === 0) await sql.query("UPDATE restamp_jobs SET state = 'done' WHERE id = $1", [job!.id]);
    return { id: job!.id, total: items.length };
  });
}

export type Progress = {
  readonly id: string;
  readonly state: string;
  readonly expiringWithinDays: number;
  readonly createdAt: string;
  readonly total: number;
  readonly queued: number;
  readonly running: number;
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
};

/** The job's counts, or null when it is not the tenant's. */
export async function progressOf(ctx: ServerContext, tenantId: string, id: string): Promise<Progress | null> {
  const job = await one<{ state: string; expiring_within_days: number; created_at: Date }>(
    ctx.db,
    'SELECT state, expiring_within_days, created_at FROM restamp_jobs WHERE id = $1 AND tenant_id = $2',
    [id, tenantId],
  );
  if (!job) return null;
  const rows = await ctx.db.query<{ state: string; n: string }>(
    'SELECT state, count(*) AS n FROM restamp_items WHERE job_id = $1 GROUP BY state',
    [id],
  );
  const count = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return {
    id,
    state: job.state,
    expiringWithinDays: job.expiring_within_days,
    createdAt: new Date(job.created_at).toISOString(),
    total: rows.reduce((a, r) => a + Number(r.n), 0),
    queued: count('queued'),
    running: count('running'),
    done: count('done'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}
