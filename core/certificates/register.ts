// Certificates Sealdesk learns from where their keys live (a key file, a PKCS#12, a token), recorded once each so
// they can be chosen again later (`--cert <id>`, the desktop's certificate list).
import { randomUUID } from 'node:crypto';
import { bytesEqual } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { insertCertificate, listCertificates, type CertificateRecord } from '../ledger/certificates.js';
import type { Ledger } from '../ledger/open.js';

export type Pkcs11Ref = { readonly module: string; readonly token: string; readonly key: string };

/** Registers a certificate for a key reference once (same kind, same reference, same certificate). */
export function registerCertificate(
  db: Ledger,
  kind: 'file' | 'pkcs11',
  keyRef: string,
  chain: readonly Uint8Array[],
  label?: string,
): CertificateRecord {
  const known = listCertificates(db).find(
    (c) => c.kind === kind && c.keyRef === keyRef && c.chain[0] && bytesEqual(c.chain[0], chain[0]!),
  );
  if (known) return known;
  const f = certificateFacts(chain[0]!);
  return insertCertificate(db, {
    id: randomUUID(),
    label: label ?? f.subject,
    status: 'active',
    source: 'byoc',
    kind,
    keyRef,
    subject: f.subject,
    notBefore: f.notBefore.toISOString(),
    notAfter: f.notAfter.toISOString(),
    chain,
    createdAt: new Date().toISOString(),
  });
}

export function registerPkcs11(db: Ledger, ref: Pkcs11Ref, chain: readonly Uint8Array[]): CertificateRecord {
  return registerCertificate(db, 'pkcs11', JSON.stringify(ref), chain, `${ref.token} / ${ref.key}`);
}
