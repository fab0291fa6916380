// The bulk-restamp journal: which chains a run selected and which got their new link.
import { randomUUID } from 'node:crypto';
import type { Ledger } from './open.js';
import { expiringSelection, type ExpiringQuery } from './stamps.js';
import { sql } from './statements.js';

export type RestampJob = {
  readonly id: string;
  readonly createdAt: string;
  readonly before: string;
  readonly includeWeak: boolean;
  readonly tsa: string;
};
export type RestampJobItem = {
  readonly stampId: string;
  readonly state: 'pending' | 'done' | 'failed';
  readonly newId: string | null;
  readonly error: string | null;
};

export function createRestampJob(db: Ledger, j: Omit<RestampJob, 'id'>, stampIds: readonly string[]): RestampJob {
  const id = randomUUID();
  db.transaction(() => {
    sql(db, 'INSERT INTO restamp_jobs (id, created_at, before, include_weak, tsa) VALUES (?, ?, ?, ?, ?)').run(
      id,
      j.createdAt,
      j.before,
      j.includeWeak ? 1 : 0,
      j.tsa,
    );
    const item = sql(db, "INSERT INTO restamp_job_items (job_id, stamp_id, state) VALUES (?, ?, 'pending')");
    for (const s of stampIds) item.run(id, s);
  })();
  return { id, ...j };
}

/** A run over the expiring selection, journaled inside SQLite (INSERT … SELECT): no id list passes through memory. */
export function createRestampJobFor(db: Ledger, j: Omit<RestampJob, 'id'>, selection: ExpiringQuery): RestampJob {
  const id = randomUUID();
  const { query, params } = expiringSelection(selection);
  db.transaction(() => {
    sql(db, 'INSERT INTO restamp_jobs (id, created_at, before, include_weak, tsa) VALUES (?, ?, ?, ?, ?)').run(
      id,
      j.createdAt,
      j.before,
      j.includeWeak ? 1 : 0,
      j.tsa,
    );
    sql(db, `INSERT INTO restamp_job_items (job_id, stamp_id, state) SELECT ?, id, 'pending' FROM (${query})`).run(
      id,
      ...params,
    );
  })();
  return { id, ...j };
}

/** The oldest run that did not finish (killed, or with failures to retry). */
export function openRestampJob(db: Ledger): RestampJob | null {
  const r = sql(db, 'SELECT * FROM restamp_jobs WHERE finished_at IS NULL ORDER BY created_at LIMIT 1').get() as
    { id: string; created_at: string; before: string; include_weak: number; tsa: string } | undefined;
  return r
    ? { id: r.id, createdAt: r.created_at, before: r.before, includeWeak: r.include_weak === 1, tsa: r.tsa }
    : null;
}

type ItemRow = {
  seq: number;
  stamp_id: string;
  state: RestampJobItem['state'];
  new_id: string | null;
  error: string | null;
};
const toItem = (r: ItemRow) => ({ seq: r.seq, stampId: r.stamp_id, state: r.state, newId: r.new_id, error: r.error });

/** Every item of a run (small runs and tests; a bulk run pages with restampJobPage). */
export function restampJobItems(db: Ledger, jobId: string): RestampJobItem[] {
  const rows = sql(
    db,
    'SELECT rowid AS seq, stamp_id, state, new_id, error FROM restamp_job_items WHERE job_id = ? ORDER BY rowid',
  ).all(jobId) as ItemRow[];
  return rows.map(toItem);
}

/** One page of a run's items after cursor `after` (a `seq`; 0 to start), in journal order; `todo` skips the done ones.
 * A rowid range scan: each page costs its own size, not the run's (EXPLAIN QUERY PLAN is checked in a test). */
export const JOB_PAGE_SQL = `SELECT rowid AS seq, stamp_id, state, new_id, error FROM restamp_job_items NOT INDEXED
   WHERE rowid > ? AND job_id = ? AND (? = 0 OR state != 'done') ORDER BY rowid LIMIT ?`;
export function restampJobPage(
  db: Ledger,
  jobId: string,
  o: { after: number; limit: number; todo?: boolean },
): (RestampJobItem & { readonly seq: number })[] {
  return (sql(db, JOB_PAGE_SQL).all(o.after, jobId, o.todo ? 1 : 0, o.limit) as ItemRow[]).map(toItem);
}

/** Items of a run by state, counted in SQLite. */
export function countRestampJob(
  db: Ledger,
  jobId: string,
): { readonly total: number; readonly done: number; readonly failed: number; readonly pending: number } {
  const rows = sql(db, 'SELECT state, count(*) AS n FROM restamp_job_items WHERE job_id = ? GROUP BY state').all(
    jobId,
  ) as { state: string; n: number }[];
  const n = (state: string) => rows.find((r) => r.state === state)?.n ?? 0;
  return { total: n('done') + n('failed') + n('pending'), done: n('done'), failed: n('failed'), pending: n('pending') };
}

export function markRestampItem(
  db: Ledger,
  jobId: string,
  stampId: string,
  state: 'done' | 'failed',
  detail: { newId?: string; error?: string },
): void {
  sql(db, 'UPDATE restamp_job_items SET state = ?, new_id = ?, error = ? WHERE job_id = ? AND stamp_id = ?').run(
    state,
    detail.newId ?? null,
    detail.error ?? null,
    jobId,
    stampId,
  );
}

export function finishRestampJob(db: Ledger, jobId: string, at: string): void {
  sql(db, 'UPDATE restamp_jobs SET finished_at = ? WHERE id = ?').run(at, jobId);
}

/** Whether the ledger holds any revocation answer at all: with none, no TSA certificate can be known revoked, and a
 * bulk run need not decode every chain's token to look (one decode is most of a restamp's CPU time). */
export function anyRevocationKnown(db: Ledger): boolean {
  return (sql(db, 'SELECT EXISTS (SELECT 1 FROM revocation_cache) AS known').get() as { known: number }).known === 1;
}
