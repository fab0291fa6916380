// Seal view: PDFs get PAdES inside them, other files a detached CAdES .p7s; with a known certificate or the default seal.
import { isPdfFile } from '../../core/fs/sniff.js';
import { getCertificate, listCertificates } from '../../core/ledger/index.js';
import { parseVisible, sealPdf } from '../../core/pades/index.js';
import { sealFile } from '../../core/seal/index.js';
import { defaultSeal, signerForRecord } from '../../core/signers/index.js';
import { CoreError } from '../../core/errors.js';
import type { CertificateItem, RequestOf, SealItem } from '../../preload/api.js';
import { itemError, type ServiceContext } from './context.js';

export function sealService(c: ServiceContext, defaultPassphrase: () => string | undefined = () => undefined) {
  return (r: RequestOf<'seal:files'>): Promise<SealItem[]> => sealBatch(c, r, defaultPassphrase(), {});
}

/** Seals each file in turn with one signer (opened once); stops before the next file once `signal` is aborted. */
export function sealBatch(c: ServiceContext, r: RequestOf<'seal:files'>, passphrase: string | undefined, o: { signal?: AbortSignal; onItem?: (done: number) => void }): Promise<SealItem[]> {
  return c.withDb(async (db) => {
    const home = c.opts.dataDir;
    const chosen = r.certificateId ? getCertificate(db, r.certificateId) : undefined;
    if (r.certificateId && !chosen) throw new CoreError('CERT_NOT_FOUND', `no certificate ${r.certificateId}`);
    const { signer, certificate } = chosen ? { signer: await signerForRecord(db, chosen, { home, pin: r.pin, password: r.password }), certificate: chosen } : await defaultSeal(db, { home, passphrase, now: new Date() });
    const ctx = c.stampContext(db);
    const visible = r.visible ? parseVisible(r.visible) : undefined;
    const out: SealItem[] = [];
    try {
      for (const file of r.paths) {
        if (o.signal?.aborted) {
          out.push({ file, error: { code: 'CANCELLED', message: 'cancelled before it was sealed' } });
          continue;
        }
        try {
          if (await isPdfFile(file)) {
            const s = await sealPdf(ctx, file, { signer, certificate, level: r.level ?? 'B-T', tsa: 'auto', reason: r.reason, location: r.location, label: r.label, visible });
            out.push({ file, outputPath: s.outputPath, format: 'pades', level: s.level, timestampedBy: s.timestampedBy, queued: s.queued, warnings: s.warnings });
          } else {
            const s = await sealFile(ctx, file, { signer, certificate, tsa: 'auto', label: r.label });
            out.push({ file, outputPath: s.outputPath, format: 'cades', level: null, timestampedBy: s.timestampedBy, queued: s.queued, warnings: [] });
          }
        } catch (err) {
          out.push({ file, error: itemError(err) });
        }
        o.onItem?.(out.length);
      }
    } finally {
      await signer.close();
    }
    return out;
  });
}

export function certsService(c: ServiceContext) {
  return (): Promise<CertificateItem[]> =>
    c.withDb((db) => listCertificates(db).map((x) => ({ id: x.id, label: x.label, kind: x.kind, subject: x.subject, status: x.status, notAfter: x.notAfter })));
}
