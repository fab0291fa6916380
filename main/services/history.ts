// History view: the ledger's stamps and seals, newest first, and any record in full.
import { CoreError } from '../../core/errors.js';
import { getOperation, getStamp, history, listOperations, operationFiles } from '../../core/ledger/index.js';
import type { HistoryItem, RecordDetails } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

const PAGE = 50;

export function historyService(c: ServiceContext) {
  return (r: { search?: string; page?: number }) =>
    c.withDb((db) => {
      const page = r.page ?? 1;
      const stamps = history(db, { search: r.search, page, pageSize: PAGE });
      const seals = listOperations(db, { search: r.search, page, pageSize: PAGE });
      const items: HistoryItem[] = [
        ...stamps.items.map((s) => ({ kind: 'stamp' as const, id: s.id, label: s.label, file: s.filePath, status: s.status, createdAt: s.createdAt, detail: s.status === 'stamped' ? `${s.tsaName ?? ''} · ${s.genTime ?? ''}` : 'queued: waiting for a TSA' })),
        ...seals.items.map((o) => ({ kind: 'seal' as const, id: o.id, label: o.label, file: o.outputPath ?? o.filePath, status: o.status, createdAt: o.createdAt, detail: `${o.signatureType === 'pades' ? `PAdES ${o.reachedLevel ?? ''}` : 'CAdES'} · ${o.certLabel ?? ''}` })),
      ].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { total: stamps.total + seals.total, items };
    });
}

/** One record in full: what was stamped or sealed, by whom, and (for seals) every version of the file written. */
export function recordService(c: ServiceContext) {
  return (r: { kind: 'stamp' | 'seal'; id: string }): Promise<RecordDetails> =>
    c.withDb((db) => {
      if (r.kind === 'stamp') {
        const s = getStamp(db, r.id);
        if (!s) throw new CoreError('NOT_FOUND', `no stamp ${r.id}`);
        return { fields: [['File', s.filePath ?? ''], ['File SHA-512', s.fileSha512], ['Imprint', `${s.imprintAlgorithm}: ${s.imprintHex}`], ['Status', s.status], ['TSA', s.tsaName ?? ''], ['Time', s.genTime ?? ''], ['Serial', s.serialHex ?? ''], ['Policy', s.policyOid ?? ''], ['TSA certificate until', s.tsaCertNotAfter ?? ''], ['Token', s.tsrPath ?? '']], files: [] };
      }
      const o = getOperation(db, r.id);
      if (!o) throw new CoreError('NOT_FOUND', `no seal ${r.id}`);
      return {
        fields: [['Sealed file', o.filePath ?? ''], ['Document SHA-512', o.documentSha512], ['Format', o.signatureType === 'pades' ? `PAdES (asked ${o.level}, reached ${o.reachedLevel})` : 'CAdES'], ['Certificate', o.certLabel ?? ''], ['Time-stamped by', o.tsaName ?? 'not yet'], ['Status', o.status], ['Output', o.outputPath ?? '']],
        files: operationFiles(db, o.id).map((f) => ({ step: f.step, level: f.level, path: f.path, sha256: f.sha256, at: f.at })),
      };
    });
}

