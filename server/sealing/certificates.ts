// Seal certificate rows (seed 001 "Document Seal"): the seed's list view, the platform certificate appended last,
// provisioning (key on the token/in KMS + the CSR core/certificates builds with that key), activation (the chain's
// leaf must carry the provisioned key) and the signer for a tenant's seal.
import * as pkijs from 'pkijs';
import { bytesEqual, exactBuffer } from '../../core/asn1/bytes.js';
import { certificateFacts, parsePemCertificates } from '../../core/asn1/certificate.js';
import { nodeCryptoEngine } from '../../core/asn1/engine.js';
import { buildCsr, type SubjectFields } from '../../core/certificates/csr.js';
import type { Signer } from '../../core/signers/signer.js';
import type { ServerContext } from '../context.js';
import { one, type Sql } from '../db/sql.js';
import { HttpError } from '../errors.js';
import {
  createSealKey,
  openPlatformSigner,
  openRowSigner,
  platformId,
  type KeyRow,
  type SealingConfig,
} from './keystore.js';

export type CertificateRow = KeyRow & {
  id: string;
  tenant_id: string | null;
  label: string;
  status: 'provisioning' | 'active' | 'revoked';
  source: 'byoc' | 'platform';
  public_key_der: Uint8Array;
  chain_pem: string | null;
  cert_subject: string | null;
  cert_not_before: Date | null;
  cert_not_after: Date | null;
};

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const certificateView = (r: CertificateRow) => ({
  id: r.id,
  label: r.label,
  status: r.status,
  source: r.source,
  certSubject: r.cert_subject,
  certNotBefore: iso(r.cert_not_before),
  certNotAfter: iso(r.cert_not_after),
});

export function sealingOf(ctx: ServerContext): SealingConfig {
  return ctx.sealing ?? { store: null, platform: null };
}

/** The platform certificate's list entry, or null when none is configured. */
export function platformView(ctx: ServerContext) {
  const p = sealingOf(ctx).platform;
  if (!p) return null;
  const f = certificateFacts(parsePemCertificates(p.chainPem)[0]!);
  const at = ctx.now();
  const status = at >= f.notBefore && at <= f.notAfter ? 'active' : 'revoked';
  return {
    id: platformId(p),
    label: p.label,
    status,
    source: 'platform',
    certSubject: f.subject,
    certNotBefore: f.notBefore.toISOString(),
    certNotAfter: f.notAfter.toISOString(),
  } as const;
}

export async function tenantCertificate(sql: Sql, tenantId: string, id: string): Promise<CertificateRow> {
  const row = await one<CertificateRow>(sql, 'SELECT * FROM seal_certificates WHERE id = $1 AND tenant_id = $2', [
    id,
    tenantId,
  ]);
  if (!row) throw new HttpError(404, 'certificate not found');
  return row;
}

export type Provisioned = { row: CertificateRow; csrPem: string };

export async function provision(
  ctx: ServerContext,
  tenantId: string,
  subject: SubjectFields,
  label: string,
): Promise<Provisioned> {
  const store = sealingOf(ctx).store;
  if (!store) throw new HttpError(503, 'this server has no seal key store configured');
  const key = await createSealKey(store, label);
  const signer = await openRowSigner(store, key, []);
  let csrPem: string;
  try {
    csrPem = (await buildCsr(subject, key.spki, signer)).pem;
  } finally {
    await signer.close();
  }
  const row = await one<CertificateRow>(
    ctx.db,
    `INSERT INTO seal_certificates (tenant_id, label, status, source, key_kind, key_ref, public_key_der, csr_pem)
     VALUES ($1, $2, 'provisioning', 'byoc', $3, $4, $5, $6) RETURNING *`,
    [tenantId, label, key.key_kind, key.key_ref, Buffer.from(key.spki), csrPem],
  );
  return { row: row!, csrPem };
}

/** The chain in order, leaf first: its leaf must carry the provisioned key, each certificate issued by the next. */
export async function checkChain(row: CertificateRow, chainPem: string): Promise<Uint8Array[]> {
  const chain = parsePemCertificates(chainPem);
  if (chain.length === 0) throw new HttpError(400, 'certificatePem holds no certificate');
  let parsed: pkijs.Certificate[];
  try {
    parsed = chain.map((c) => pkijs.Certificate.fromBER(exactBuffer(c)));
  } catch {
    throw new HttpError(400, 'certificatePem holds a certificate that cannot be read');
  }
  const leafSpki = new Uint8Array(parsed[0]!.subjectPublicKeyInfo.toSchema().toBER(false));
  if (!bytesEqual(leafSpki, new Uint8Array(row.public_key_der))) {
    throw new HttpError(400, 'the certificate public key does not match the provisioned key');
  }
  for (let i = 0; i + 1 < parsed.length; i++) {
    const ok =
      parsed[i]!.issuer.isEqual(parsed[i + 1]!.subject) &&
      (await parsed[i]!.verify(parsed[i + 1]!, nodeCryptoEngine()).catch(() => false));
    if (!ok) throw new HttpError(400, `certificate ${i + 1} of the chain is not issued by certificate ${i + 2}`);
  }
  return chain;
}

export type SealKey = { id: string; label: string; signer: Signer; platform: boolean };

/** The signer for `/seal/sign`: an active certificate of the tenant, or the platform certificate. */
export async function openSealKey(ctx: ServerContext, tenantId: string, id: string): Promise<SealKey> {
  const { store, platform } = sealingOf(ctx);
  if (platform && id === platformId(platform)) {
    return { id, label: platform.label, signer: openPlatformSigner(platform), platform: true };
  }
  const row = await tenantCertificate(ctx.db, tenantId, id);
  if (row.status !== 'active') throw new HttpError(400, `certificate ${id} is ${row.status}, not active`);
  if (!store) throw new HttpError(503, 'this server has no seal key store configured');
  const signer = await openRowSigner(store, row, parsePemCertificates(row.chain_pem ?? ''));
  return { id, label: row.label, signer, platform: false };
}
