// The sealed-file lines of `sealdesk restamp --expiring-within <N>d`: sealed PDFs and .p7s whose newest time-stamp's
// TSA certificate expires in the window, counted like the stamp chains, and what their in-place restamps reported.
import type { DueCounts, SealBulkResult } from '../../core/archive/index.js';

export function sealSelectionText(s: DueCounts): string {
  if (s.selected === 0) return '0 sealed file(s) to restamp\n';
  const lines = (counts: Readonly<Record<string, number>>, sep: string) =>
    Object.entries(counts)
      .map(([k, n]) => `  ${k}${sep}${n}\n`)
      .join('');
  return (
    `${s.selected} sealed file(s) to restamp (PDFs and .p7s, by when their newest time-stamp's TSA certificate expires)\n` +
    `${lines(s.byMonth, '  ')}${lines(s.byTsa, ': ')}`
  );
}

/** Each seal that failed (the run marks it failed, it stays due), or was restamped without all its validation data. */
export function sealLines(result: SealBulkResult): string {
  return result.results
    .map((r) =>
      r.error
        ? `sealdesk: ${r.operationId}: ${r.error}\n`
        : missingWarning(r.operationId, r.missingValidationData ?? []),
    )
    .join('');
}

/** The warning line for a seal restamped without all validation data (--allow-missing-validation-data); '' if complete. */
export function missingWarning(id: string, missing: readonly string[]): string {
  if (!missing.length) return '';
  return `sealdesk: warning: ${id}: restamped without all validation data (--allow-missing-validation-data): ${missing.join('; ')}\n`;
}
