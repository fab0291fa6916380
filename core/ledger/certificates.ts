// Certificates Sealdesk can seal with: the default seal, imported files, later tokens and KMS keys.
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export type CertificateKind = 'default' | 'file' | 'pkcs11' | 'kms';
export type CertificateRecord = {
  readonly id: string;
  readonly label: string;
  readonly status: 'active' | 'provisioning' | 'revoked';
  readonly source: 'local' | 'byoc';
  readonly kind: CertificateKind;
  /** Where the key lives (a path, a token/key label, a KMS key id): never the key itself, never a PIN. */
  readonly keyRef: string;
  readonly subject: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  /** Concatenated DER certificates, the signer's first. */
  readonly chain: readonly Uint8Array[];
  readonly createdAt: string;
  /** The key's public key (SPKI DER), known from provisioning on. */
  readonly spki?: Uint8Array | null;
};

type Row = {
  id: string;
  label: string;
  status: string;
  source: string;
  kind: string;
  key_ref: string;
  subject: string | null;
  not_before: string | null;
  not_after: string | null;
  chain: Buffer | null;
  created_at: string;
  spki: Buffer | null;
};

const fromRow = (r: Row): CertificateRecord => ({
  id: r.id,
  label: r.label,
  status: r.status as CertificateRecord['status'],
  source: r.source as CertificateRecord['source'],
  kind: r.kind as CertificateKind,
  keyRef: r.key_ref,
  subject: r.subject,
  notBefore: r.not_before,
  notAfter: r.not_after,
  chain: r.chain ? splitDer(new Uint8Array(r.chain)) : [],
  createdAt: r.created_at,
  spki: r.spki ? new Uint8Array(r.spki) : null,
});

export function insertCertificate(db: Ledger, c: CertificateRecord): CertificateRecord {
  sql(
    db,
    'INSERT INTO certificates (id, label, status, source, kind, key_ref, subject, not_before, not_after, chain, created_at, spki) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    c.id,
    c.label,
    c.status,
    c.source,
    c.kind,
    c.keyRef,
    c.subject,
    c.notBefore,
    c.notAfter,
    Buffer.concat(c.chain.map((d) => Buffer.from(d))),
    c.createdAt,
    c.spki ?? null,
  );
  return c;
}

export function getCertificate(db: Ledger, id: string): CertificateRecord | undefined {
  const row = sql(db, 'SELECT * FROM certificates WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

export function defaultCertificate(db: Ledger): CertificateRecord | undefined {
  const row = sql(db, "SELECT * FROM certificates WHERE kind = 'default'").get() as Row | undefined;
  return row ? fromRow(row) : undefined;
}

export function listCertificates(db: Ledger): CertificateRecord[] {
  return (sql(db, 'SELECT * FROM certificates ORDER BY created_at').all() as Row[]).map(fromRow);
}

/** Splits concatenated DER SEQUENCEs (each certificate is one). */
function splitDer(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    let len = bytes[i + 1]!;
    let header = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + bytes[i + 2 + k]!;
      header = 2 + n;
    }
    out.push(bytes.subarray(i, i + header + len));
    i += header + len;
  }
  return out;
}

export function activateCertificate(
  db: Ledger,
  id: string,
  chain: readonly Uint8Array[],
  subject: string,
  notBefore: string,
  notAfter: string,
): void {
  sql(
    db,
    "UPDATE certificates SET status = 'active', chain = ?, subject = ?, not_before = ?, not_after = ? WHERE id = ?",
  ).run(Buffer.concat(chain.map((d) => Buffer.from(d))), subject, notBefore, notAfter, id);
}

export function revokeCertificate(db: Ledger, id: string): void {
  sql(db, "UPDATE certificates SET status = 'revoked' WHERE id = ?").run(id);
}
