// The sealed-file part of `sealdesk restamp --expiring-within <N>d`: sealed PDFs and .p7s whose newest time-stamp's
// TSA certificate expires in the window, counted like the stamp chains, and restamped in place after them.
import { refreshSealProtection, runSealRestamps, type SealBulkResult } from '../../core/archive/index.js';
import { addJobSeals, expiringSeals, type Ledger, type RestampJob } from '../../core/ledger/index.js';
import { stampContext } from '../context.js';
import type { CliIo } from '../io.js';

export type SealSelection = { readonly selected: number; readonly ids: readonly string[]; readonly byMonth: Record<string, number>; readonly byTsa: Record<string, number> };

/** Reads the protected-until date of seals written or extended since the last run, then selects those due. */
export async function selectSeals(db: Ledger, before: Date): Promise<SealSelection> {
  await refreshSealProtection(db);
  const due = expiringSeals(db, before);
  const byMonth: Record<string, number> = {};
  const byTsa: Record<string, number> = {};
  for (const s of due) {
    byMonth[s.protectedUntil.slice(0, 7)] = (byMonth[s.protectedUntil.slice(0, 7)] ?? 0) + 1;
    byTsa[s.tsaName ?? '?'] = (byTsa[s.tsaName ?? '?'] ?? 0) + 1;
  }
  return { selected: due.length, ids: due.map((s) => s.id), byMonth, byTsa };
}

export function sealSelectionText(s: SealSelection): string {
  if (s.selected === 0) return '0 sealed file(s) to restamp\n';
  return `${s.selected} sealed file(s) to restamp (PDFs and .p7s, by when their newest time-stamp's TSA certificate expires)\n${Object.entries(s.byMonth).map(([k, n]) => `  ${k}  ${n}\n`).join('')}${Object.entries(s.byTsa).map(([k, n]) => `  ${k}: ${n}\n`).join('')}`;
}

/** Journals the selected seals in `job` (a new run) and restamps every one not yet done in it. */
export async function restampSeals(io: CliIo, db: Ledger, job: RestampJob, o: { resumed: boolean; selection: SealSelection; concurrency: number; json: boolean }): Promise<SealBulkResult> {
  if (!o.resumed) addJobSeals(db, job.id, o.selection.ids);
  return runSealRestamps(stampContext(db, io), job, {
    concurrency: o.concurrency,
    onProgress: (p) => {
      if (!o.json) io.stderr(`\rsealed files: restamped ${p.done} · failed ${p.failed} · remaining ${p.total - p.done - p.failed}   `);
    },
  });
}
