// History and Settings views: the ledger's records, the TSAs and the trust anchors.
import { readFile } from 'node:fs/promises';
import { certificateFacts, parsePemCertificates } from '../../core/asn1/certificate.js';
import { addTrustAnchor, history, listOperations, listTrustAnchors, listTsas, setTsaEnabled, type Ledger } from '../../core/ledger/index.js';
import type { HistoryItem, TrustItem, TsaItem } from '../../preload/api.js';
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

const tsaItems = (db: Ledger): TsaItem[] => listTsas(db).map((t) => ({ slug: t.slug, name: t.name, url: t.url, enabled: t.enabled, qualified: t.qualified }));

export function tsaServices(c: ServiceContext) {
  return {
    list: () => c.withDb(tsaItems),
    setEnabled: (r: { slug: string; enabled: boolean }) =>
      c.withDb((db) => {
        setTsaEnabled(db, r.slug, r.enabled);
        return tsaItems(db);
      }),
  };
}

const trustItems = (db: Ledger): TrustItem[] => listTrustAnchors(db).map((a) => ({ id: a.id, subject: a.subject, notAfter: a.notAfter }));

export function trustServices(c: ServiceContext) {
  return {
    list: () => c.withDb(trustItems),
    add: (r: { path: string }) =>
      c.withDb(async (db) => {
        const bytes = await readFile(r.path);
        const text = bytes.toString('utf8');
        const ders = text.includes('-----BEGIN CERTIFICATE-----') ? parsePemCertificates(text) : [new Uint8Array(bytes)];
        for (const der of ders) {
          const f = certificateFacts(der);
          addTrustAnchor(db, { subject: f.subject, der, notAfter: f.notAfter.toISOString(), at: new Date().toISOString() });
        }
        return trustItems(db);
      }),
  };
}
