// History view: thin adapters from the IPC contract to core/app/history.ts (the ledger's stamps and seals, newest
// first, and any record in full).
import { historyList, recordDetails } from '../../core/app/history.js';
import type { HistoryItem, RecordDetails } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

const PAGE = 50;

export function historyService(c: ServiceContext) {
  return (r: { search?: string; page?: number }): Promise<{ total: number; items: HistoryItem[] }> =>
    c.withDb((db) => {
      const { total, items } = historyList(db, { search: r.search, page: r.page ?? 1, pageSize: PAGE });
      return { total, items };
    });
}

/** One record in full: what was stamped or sealed, by whom, and (for seals) every version of the file written. */
export function recordService(c: ServiceContext) {
  return (r: { kind: 'stamp' | 'seal'; id: string }): Promise<RecordDetails> =>
    c.withDb((db) => recordDetails(db, r.kind, r.id));
}
