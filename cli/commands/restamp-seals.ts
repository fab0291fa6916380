// The sealed-file part of `sealdesk restamp --expiring-within <N>d`: sealed PDFs and .p7s whose newest time-stamp's
// TSA certificate expires in the window, counted like the stamp chains, and restamped in place after them.
import { dueSeals, runSealRestamps, type DueCounts, type SealBulkResult } from '../../core/archive/index.js';
import { addJobSeals, type Ledger, type RestampJob } from '../../core/ledger/index.js';
import { stampContext } from '../context.js';
import type { CliIo } from '../io.js';
import { progressLine } from '../progress.js';

export type SealSelection = DueCounts & { readonly ids: readonly string[] };

/** Reads the protected-until date of seals written or extended since the last run, then selects those due. */
export async function selectSeals(db: Ledger, before: Date): Promise<SealSelection> {
  const { seals, counts } = await dueSeals(db, before);
  return { ...counts, ids: seals.map((s) => s.id) };
}

export function sealSelectionText(s: SealSelection): string {
  if (s.selected === 0) return '0 sealed file(s) to restamp\n';
  return `${s.selected} sealed file(s) to restamp (PDFs and .p7s, by when their newest time-stamp's TSA certificate expires)\n${Object.entries(s.byMonth).map(([k, n]) => `  ${k}  ${n}\n`).join('')}${Object.entries(s.byTsa).map(([k, n]) => `  ${k}: ${n}\n`).join('')}`;
}

/** Journals the selected seals in `job` (a new run) and restamps every one not yet done in it; a seal refused for
 * missing validation data (unless allowed) is marked failed in the run and stays due. */
export async function restampSeals(io: CliIo, db: Ledger, job: RestampJob, o: { resumed: boolean; selection: SealSelection; concurrency: number; json: boolean; allowMissingValidationData: boolean; allowPrivateNetwork?: boolean }): Promise<SealBulkResult> {
  if (!o.resumed) addJobSeals(db, job.id, o.selection.ids);
  const result = await runSealRestamps(stampContext(db, io), job, {
    concurrency: o.concurrency,
    allowMissingValidationData: o.allowMissingValidationData,
    allowPrivateNetwork: o.allowPrivateNetwork === true,
    onProgress: o.json ? undefined : progressLine(io.stderr, (p) => `sealed files: restamped ${p.done} · failed ${p.failed} · remaining ${p.total - p.done - p.failed}`),
  });
  if (!o.json) {
    const lines = result.results.map((r) => (r.error ? `sealdesk: ${r.operationId}: ${r.error}\n` : missingWarning(r.operationId, r.missingValidationData ?? []))).join('');
    if (lines) io.stderr(`\n${lines}`);
  }
  return result;
}

/** The warning line for a seal restamped without all its validation data (--allow-missing-validation-data); '' if complete. */
export function missingWarning(id: string, missing: readonly string[]): string {
  return missing.length ? `sealdesk: warning: ${id}: restamped without all validation data (--allow-missing-validation-data): ${missing.join('; ')}\n` : '';
}
