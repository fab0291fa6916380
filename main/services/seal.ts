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
  return (r: RequestOf<'seal:files'>): Promise<SealItem[]> =>
    c.withDb(async (db) => {
      const home = c.opts.dataDir;
      const chosen = r.certificateId ? getCertificate(db, r.certificateId) : undefined;
      if (r.certificateId && !chosen) throw new CoreError('CERT_NOT_FOUND', `no certificate ${r.certificateId}`);
      const { signer, certificate } = chosen ? { signer: await signerForRecord(db, chosen, { home, pin: r.pin, password: r.password }), certificate: chosen } : await defaultSeal(db, { home, passphrase: defaultPassphrase(), now: new Date() });
      const ctx = c.stampContext(db);
      const visible = r.visible ? parseVisible(r.visible) : undefined;
      const out: SealItem[] = [];
      try {
        for (const file of r.paths) {
          try {
            if (await isPdfFile(file)) {
              const o = await sealPdf(ctx, file, { signer, certificate, level: r.level ?? 'B-T', tsa: 'auto', reason: r.reason, location: r.location, label: r.label, visible });
              out.push({ file, outputPath: o.outputPath, format: 'pades', level: o.level, timestampedBy: o.timestampedBy, queued: o.queued, warnings: o.warnings });
            } else {
              const o = await sealFile(ctx, file, { signer, certificate, tsa: 'auto', label: r.label });
              out.push({ file, outputPath: o.outputPath, format: 'cades', level: null, timestampedBy: o.timestampedBy, queued: o.queued, warnings: [] });
            }
          } catch (err) {
            out.push({ file, error: itemError(err) });
          }
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
