// RFC 3161 §4 restamp planning: the chains due in a window, counted by month of expiry and by TSA — the one
// summary the CLI's bulk dry-run and the desktop Restamp view both show.
import type { StampRecord } from '../model/stamp.js';

/** What counting needs of a due link (a StampRecord, or the ledger's light row without the .tsr). */
export type DueFacts = Pick<StampRecord, 'tsaName' | 'tsaCertNotAfter'> & { readonly imprintAlgorithm: string };
export type DueCounts = {
  readonly selected: number;
  readonly byMonth: Readonly<Record<string, number>>;
  readonly byTsa: Readonly<Record<string, number>>;
};

/** The end of a window of `days` from `now`: links whose TSA certificate expires before it are due. */
export function dueBefore(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

/** Counts in the order given (the ledger sorts by expiry), one pass over any iterable: a streamed selection stays
 * flat in memory. Month is YYYY-MM of the TSA certificate's notAfter ('weak hash' for a SHA-1 link without one). */
export function countDue(due: Iterable<DueFacts>): DueCounts {
  const byMonth: Record<string, number> = {};
  const byTsa: Record<string, number> = {};
  let selected = 0;
  for (const r of due) {
    const month = r.tsaCertNotAfter?.slice(0, 7) ?? (r.imprintAlgorithm === 'sha1' ? 'weak hash' : '?');
    byMonth[month] = (byMonth[month] ?? 0) + 1;
    const tsa = r.tsaName ?? '?';
    byTsa[tsa] = (byTsa[tsa] ?? 0) + 1;
    selected++;
  }
  return { selected, byMonth, byTsa };
}
