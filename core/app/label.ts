// Use case "label" (issue 17): sets the label of a stamp or a seal record, made here or pulled from the server. With an
// account, migration 11's trigger queues the change for the next push in the same transaction, and the label history
// keeps the value it replaces.
import { CoreError, UsageError } from '../errors.js';
import type { Ledger } from '../ledger/open.js';
import { sql } from '../ledger/statements.js';

export const MAX_LABEL = 255;

export type LabelResult = {
  readonly kind: 'stamp' | 'seal';
  readonly id: string;
  readonly label: string | null;
  readonly previous: string | null;
  readonly origin: 'local' | 'remote';
  /** The change waits in the outbox (an account is set). */
  readonly queued: boolean;
};

/** `text` empty: the label is removed. A record id may be given by a unique prefix (at least 8 characters). */
export function setLabel(db: Ledger, recordId: string, text: string): LabelResult {
  const label = text.trim() === '' ? null : text;
  if (label !== null && [...label].length > MAX_LABEL)
    throw new UsageError(`a label holds at most ${MAX_LABEL} characters`);
  if (label !== null && [...label].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new UsageError('a label is one line of text');
  return db.transaction(() => {
    const found = findRecord(db, recordId);
    const before = sql(db, "SELECT count(*) AS n FROM sync_outbox WHERE kind = 'label'").get() as { n: number };
    const table = found.kind === 'stamp' ? 'stamps' : 'operations';
    sql(db, `UPDATE ${table} SET label = ? WHERE id = ?`).run(label, found.id);
    const after = sql(db, "SELECT count(*) AS n FROM sync_outbox WHERE kind = 'label'").get() as { n: number };
    return { ...found, label, previous: found.label, queued: after.n > before.n };
  })();
}

type Found = { kind: 'stamp' | 'seal'; id: string; label: string | null; origin: 'local' | 'remote' };

function findRecord(db: Ledger, recordId: string): Found {
  const id = recordId.trim().toLowerCase();
  if (id.length < 8) throw new UsageError('name the record by its id (at least its first 8 characters)');
  const like = `${id.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = sql(
    db,
    `SELECT 'stamp' AS kind, id, label, origin FROM stamps WHERE id LIKE ? ESCAPE '\\'
     UNION ALL SELECT 'seal', id, label, origin FROM operations WHERE id LIKE ? ESCAPE '\\' LIMIT 2`,
  ).all(like, like) as Found[];
  if (rows.length === 0) throw new CoreError('NOT_FOUND', `no stamp or seal record ${recordId}`);
  if (rows.length > 1) throw new UsageError(`${recordId} names more than one record: give more of its id`);
  return rows[0]!;
}
