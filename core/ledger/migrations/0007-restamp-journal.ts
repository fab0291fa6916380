// Ledger v7: the bulk-restamp journal, so a run killed at any moment resumes and gives each chain exactly one link.
import type { Database } from 'better-sqlite3';

export const version = 7;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE restamp_jobs (
      id           TEXT PRIMARY KEY,
      created_at   TEXT NOT NULL,
      before       TEXT NOT NULL,
      include_weak INTEGER NOT NULL,
      tsa          TEXT NOT NULL,
      finished_at  TEXT
    ) STRICT;
    CREATE TABLE restamp_job_items (
      job_id   TEXT NOT NULL REFERENCES restamp_jobs(id),
      stamp_id TEXT NOT NULL REFERENCES stamps(id),
      state    TEXT NOT NULL CHECK (state IN ('pending','done','failed')),
      new_id   TEXT,
      error    TEXT,
      PRIMARY KEY (job_id, stamp_id)
    ) STRICT;
    CREATE INDEX restamp_jobs_open ON restamp_jobs (created_at) WHERE finished_at IS NULL;
  `);
}
