// The bulk-restamp journal: which chains a run selected and which got their new link.
import { randomUUID } from 'node:crypto';
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export type RestampJob = { readonly id: string; readonly createdAt: string; readonly before: string; readonly includeWeak: boolean; readonly tsa: string };
export type RestampJobItem = { readonly stampId: string; readonly state: 'pending' | 'done' | 'failed'; readonly newId: string | null; readonly error: string | null };

export function createRestampJob(db: Ledger, j: Omit<RestampJob, 'id'>, stampIds: readonly string[]): RestampJob {
  const id = randomUUID();
  db.transaction(() => {
    sql(db, 'INSERT INTO restamp_jobs (id, created_at, before, include_weak, tsa) VALUES (?, ?, ?, ?, ?)').run(id, j.createdAt, j.before, j.includeWeak ? 1 : 0, j.tsa);
    const item = sql(db, "INSERT INTO restamp_job_items (job_id, stamp_id, state) VALUES (?, ?, 'pending')");
    for (const s of stampIds) item.run(id, s);
  })();
  return { id, ...j };
}

/** The oldest run that did not finish (killed, or with failures to retry). */
export function openRestampJob(db: Ledger): RestampJob | null {
  const r = sql(db, 'SELECT * FROM restamp_jobs WHERE finished_at IS NULL ORDER BY created_at LIMIT 1').get() as { id: string; created_at: string; before: string; include_weak: number; tsa: string } | undefined;
  return r ? { id: r.id, createdAt: r.created_at, before: r.before, includeWeak: r.include_weak === 1, tsa: r.tsa } : null;
}

export function restampJobItems(db: Ledger, jobId: string): RestampJobItem[] {
  const rows = sql(db, 'SELECT stamp_id, state, new_id, error FROM restamp_job_items WHERE job_id = ? ORDER BY rowid').all(jobId) as { stamp_id: string; state: RestampJobItem['state']; new_id: string | null; error: string | null }[];
  return rows.map((r) => ({ stampId: r.stamp_id, state: r.state, newId: r.new_id, error: r.error }));
}

export function markRestampItem(db: Ledger, jobId: string, stampId: string, state: 'done' | 'failed', detail: { newId?: string; error?: string }): void {
  sql(db, 'UPDATE restamp_job_items SET state = ?, new_id = ?, error = ? WHERE job_id = ? AND stamp_id = ?').run(state, detail.newId ?? null, detail.error ?? null, jobId, stampId);
}

export function finishRestampJob(db: Ledger, jobId: string, at: string): void {
  sql(db, 'UPDATE restamp_jobs SET finished_at = ? WHERE id = ?').run(at, jobId);
}
