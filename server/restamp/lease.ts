// Bulk restamp items claimed by the nodes that drain them: one statement takes the next free item with
// `FOR UPDATE SKIP LOCKED` and a lease (locked_by, locked_until); an item whose lease ran out (its node died or hung)
// is free again. A node keeps its result only while it still holds the lease (checked under the row lock on commit).
import { one, type Sql } from '../db/sql.js';

export type ClaimedItem = {
  readonly jobId: string;
  readonly transactionId: string;
  readonly tenantId: string;
  readonly windowEnd: Date;
};

type ClaimRow = {
  job_id: string;
  transaction_id: string;
  tenant_id: string;
  expiring_within_days: number;
  created_at: Date;
};

/** Takes one free item of a running job for `node` until now + leaseMs; null when none is free. */
export async function claimItem(sql: Sql, node: string, now: Date, leaseMs: number): Promise<ClaimedItem | null> {
  const row = await one<ClaimRow>(
    sql,
    `WITH c AS (
       SELECT i.job_id, i.transaction_id FROM restamp_items i JOIN restamp_jobs j ON j.id = i.job_id
       WHERE j.state = 'running' AND (i.locked_until IS NULL OR i.locked_until < $2)
         AND i.state IN ('queued', 'running')
       LIMIT 1 FOR UPDATE OF i SKIP LOCKED)
     UPDATE restamp_items i SET state = 'running', locked_by = $1, locked_until = $3, attempts = i.attempts + 1
     FROM c, restamp_jobs j
     WHERE i.job_id = c.job_id AND i.transaction_id = c.transaction_id AND j.id = c.job_id
     RETURNING i.job_id, i.transaction_id, j.tenant_id, j.expiring_within_days, j.created_at`,
    [node, now, new Date(now.getTime() + leaseMs)],
  );
  if (!row) return null;
  const windowEnd = new Date(now.getTime() + row.expiring_within_days * 86_400_000);
  return { jobId: row.job_id, transactionId: row.transaction_id, tenantId: row.tenant_id, windowEnd };
}

/** Locks the item's row (inside `sql`'s transaction); true when `node` still holds its lease. */
export async function stillHeld(sql: Sql, item: ClaimedItem, node: string): Promise<boolean> {
  const row = await one<{ locked_by: string | null; state: string }>(
    sql,
    'SELECT locked_by, state FROM restamp_items WHERE job_id = $1 AND transaction_id = $2 FOR UPDATE',
    [item.jobId, item.transactionId],
  );
  return row?.state === 'running' && row.locked_by === node;
}

export type Outcome =
  | { readonly state: 'done'; readonly newTransactionId: string }
  | { readonly state: 'failed' | 'skipped'; readonly error: string };

/** Records the item's end (locked_by stays: the node that did it) and closes the job when nothing is left. */
export async function finishItem(sql: Sql, item: ClaimedItem, o: Outcome): Promise<void> {
  await sql.query(
    `UPDATE restamp_items SET state = $3, new_transaction_id = $4, error = $5, locked_until = NULL
     WHERE job_id = $1 AND transaction_id = $2`,
    [
      item.jobId,
      item.transactionId,
      o.state,
      o.state === 'done' ? o.newTransactionId : null,
      o.state === 'done' ? null : o.error,
    ],
  );
  await closeJob(sql, item.jobId);
}

/**
 * Closes the job when no item is left open. The job's row is locked first: two nodes finishing the last two items at
 * once would otherwise each see the other's item still running (READ COMMITTED: neither sees the other's uncommitted
 * end) and neither would close the job, which then stayed `running` for ever. Locked, the second one waits for the
 * first to commit, and its next statement sees both items ended. Lock order everywhere: item, then job.
 */
async function closeJob(sql: Sql, jobId: string): Promise<void> {
  await sql.query('SELECT 1 FROM restamp_jobs WHERE id = $1 FOR UPDATE', [jobId]);
  await sql.query(
    `UPDATE restamp_jobs SET state = 'done' WHERE id = $1 AND state = 'running'
     AND NOT EXISTS (SELECT 1 FROM restamp_items WHERE job_id = $1 AND state IN ('queued', 'running'))`,
    [jobId],
  );
}

/** After an unexpected error: the item is free again after `retryAt`, or failed with `error` from its 5th attempt. */
export async function retryOrFail(
  sql: Sql,
  item: ClaimedItem,
  node: string,
  retryAt: Date,
  error: string,
): Promise<void> {
  await sql.query(
    `UPDATE restamp_items SET state = CASE WHEN attempts >= 5 THEN 'failed' ELSE 'queued' END, error = $5,
       locked_by = CASE WHEN attempts >= 5 THEN locked_by END,
       locked_until = CASE WHEN attempts >= 5 THEN NULL ELSE $4::timestamptz END
     WHERE job_id = $1 AND transaction_id = $2 AND locked_by = $3 AND state = 'running'`,
    [item.jobId, item.transactionId, node, retryAt, error.slice(0, 2000)],
  );
  await closeJob(sql, item.jobId);
}

/** Gives the item back untouched until `retryAt` (every TSA's rate window was full). */
export async function postpone(sql: Sql, item: ClaimedItem, node: string, retryAt: Date): Promise<void> {
  await sql.query(
    `UPDATE restamp_items SET state = 'queued', locked_by = NULL, locked_until = $4
     WHERE job_id = $1 AND transaction_id = $2 AND locked_by = $3 AND state = 'running'`,
    [item.jobId, item.transactionId, node, retryAt],
  );
}
