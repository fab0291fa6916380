// History view: thin adapters from the IPC contract to core/app/history.ts (the ledger's stamps and seals, newest
// first, and any record in full).
import { historyList, lookup, recordDetails } from '../../core/app/history.js';
import { importFiles, type ImportItem as Imported } from '../../core/app/import.js';
import type { HistoryItem, ImportItem, LookupResult, RecordDetails } from '../../preload/api.js';
import { itemError, type ServiceContext } from './context.js';

const PAGE = 50;

export function historyService(c: ServiceContext) {
  return (r: { search?: string; page?: number; pageSize?: number }): Promise<{ total: number; items: HistoryItem[] }> =>
    c.withDb((db) => {
      const { total, items } = historyList(db, { search: r.search, page: r.page ?? 1, pageSize: r.pageSize ?? PAGE });
      return { total, items };
    });
}

/** One record in full: what was stamped or sealed, by whom, and (for seals) every version of the file written. */
export function recordService(c: ServiceContext) {
  return (r: { kind: 'stamp' | 'seal'; id: string }): Promise<RecordDetails> =>
    c.withDb((db) => recordDetails(db, r.kind, r.id));
}

/** history:lookup — `sealdesk lookup <file>`: has this content been stamped (here, or pulled from the server)? */
export function lookupService(c: ServiceContext) {
  return (r: { path: string }): Promise<LookupResult> =>
    c.withDb(async (db) => {
      const { sha512, records } = await lookup(db, r.path);
      return {
        sha512,
        records: records.map((s) => ({
          id: s.id,
          label: s.label,
          status: s.status,
          tsaName: s.tsaName,
          genTime: s.genTime,
          origin: s.origin ?? 'local',
        })),
      };
    });
}

/** import:files — `sealdesk import` from the desktop: each input imported, already known, skipped, or why not. */
export function importService(c: ServiceContext) {
  return (r: { paths: string[] }): Promise<ImportItem[]> =>
    c.withDb(async (db) => (await importFiles(db, r.paths)).map(importItem));
}

function importItem(i: Imported): ImportItem {
  const base = { path: i.path, kind: i.kind, id: null, already: false };
  switch (i.kind) {
    case 'stamp': {
      const rec = i.stamp.record;
      const until = rec.tsaCertNotAfter?.slice(0, 10) ?? '?';
      return {
        ...base,
        id: rec.id,
        already: i.stamp.already,
        detail: `${rec.tsaName ?? '?'}, ${rec.genTime ?? '?'}; TSA certificate until ${until}`,
      };
    }
    case 'seal': {
      const op = i.seal.operation;
      const what = op.signatureType === 'pades' ? `PAdES ${op.reachedLevel ?? ''}` : 'CAdES';
      const verdict = i.seal.already ? '' : `; ${i.seal.indication} with the trust store's anchors`;
      return {
        ...base,
        id: op.id,
        already: i.seal.already,
        detail: `${what}; signed by ${op.certLabel ?? '?'}${verdict}`,
      };
    }
    case 'skipped':
      return { ...base, detail: i.reason };
    case 'error':
      return { ...base, detail: '', error: itemError(i.error) };
  }
}
