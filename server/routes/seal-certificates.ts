// Seed 001 "Document Seal" certificates: GET /seal/certificates (the tenant's, then the platform certificate last),
// POST /seal/certificates (owner: RSA-4096 key on the token/in KMS + CSR), POST …/:id/activate (owner: the chain's
// leaf must carry the provisioned key, else 400), DELETE …/:id (owner: revoked; key deletion after a 7-day grace).
import type { FastifyInstance } from 'fastify';
import { isUuid, tenantOf } from '../auth/hook.js';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { certificateFacts } from '../../core/asn1/certificate.js';
import {
  certificateView,
  checkChain,
  platformView,
  provision,
  sealingOf,
  tenantCertificate,
  type CertificateRow,
} from '../sealing/certificates.js';
import { platformId } from '../sealing/keystore.js';
import { pemEncode } from '../../core/util/pem.js';

type Provision = {
  commonName: string;
  organization: string;
  countryCode: string;
  organizationalUnit?: string;
  locality?: string;
  state?: string;
  label?: string;
};

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const PROVISION = {
  type: 'object',
  required: ['commonName', 'organization', 'countryCode'],
  additionalProperties: false,
  properties: {
    commonName: text(64),
    organization: text(64),
    countryCode: { type: 'string', pattern: '^[A-Z]{2}$' },
    organizationalUnit: text(64),
    locality: text(128),
    state: text(128),
    label: text(255),
  },
} as const;

/** The revoked key is destroyed by the sweep (server/sealing/sweep.ts) once this grace has passed. */
export const KEY_DELETION_GRACE_DAYS = 7;

export function sealCertificateRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/seal/certificates', { config: { auth: 'tenant' } }, async (request) => {
    const rows = await ctx.db.query<CertificateRow>(
      `SELECT * FROM seal_certificates WHERE tenant_id = $1 AND status <> 'revoked' ORDER BY created_at, id`,
      [tenantOf(request)],
    );
    const platform = platformView(ctx);
    return [...rows.map(certificateView), ...(platform ? [platform] : [])];
  });

  app.post<{ Body: Provision }>(
    '/seal/certificates',
    { config: { auth: 'owner' }, schema: { body: PROVISION } },
    async (request) => {
      const { label, ...subject } = request.body;
      const { row, csrPem } = await provision(ctx, tenantOf(request), subject, label ?? subject.commonName);
      return { id: row.id, label: row.label, status: row.status, kmsKeyArn: keyName(row), csrPem };
    },
  );

  app.post<{ Params: { id: string }; Body: { certificatePem: string } }>(
    '/seal/certificates/:id/activate',
    {
      config: { auth: 'owner' },
      schema: {
        body: {
          type: 'object',
          required: ['certificatePem'],
          additionalProperties: false,
          properties: { certificatePem: text(200_000) },
        },
      },
    },
    async (request) => {
      const row = await tenantCertificate(ctx.db, tenantOf(request), uuidParam(request.params.id));
      if (row.status !== 'provisioning')
        throw new HttpError(400, `certificate is ${row.status}, not waiting for activation`);
      const chain = await checkChain(row, request.body.certificatePem);
      const f = certificateFacts(chain[0]!);
      const updated = await one<CertificateRow>(
        ctx.db,
        `UPDATE seal_certificates SET status = 'active', chain_pem = $2, cert_subject = $3,
           cert_not_before = $4, cert_not_after = $5
         WHERE id = $1 AND status = 'provisioning' RETURNING *`,
        [row.id, chain.map((c) => pemEncode(c, 'CERTIFICATE')).join(''), f.subject, f.notBefore, f.notAfter],
      );
      if (!updated) throw new HttpError(409, 'certificate changed meanwhile');
      const v = certificateView(updated);
      return {
        id: v.id,
        status: v.status,
        certSubject: v.certSubject,
        certNotBefore: v.certNotBefore,
        certNotAfter: v.certNotAfter,
      };
    },
  );

  app.delete<{ Params: { id: string } }>('/seal/certificates/:id', { config: { auth: 'owner' } }, async (request) => {
    const p = sealingOf(ctx).platform;
    if (p && request.params.id === platformId(p))
      throw new HttpError(400, 'the platform certificate cannot be revoked');
    const row = await tenantCertificate(ctx.db, tenantOf(request), uuidParam(request.params.id));
    if (row.status === 'revoked') throw new HttpError(400, 'certificate is already revoked');
    const deletionAt = new Date(ctx.now().getTime() + KEY_DELETION_GRACE_DAYS * 86_400_000);
    await ctx.db.query(`UPDATE seal_certificates SET status = 'revoked', key_deletion_at = $2 WHERE id = $1`, [
      row.id,
      deletionAt,
    ]);
    if (row.key_kind === 'kms') {
      const { scheduleKmsKeyDeletion } = await import('../../core/signers/kms/index.js');
      await scheduleKmsKeyDeletion(JSON.parse(row.key_ref)); // KMS's own 7-day waiting period
    }
    return { message: 'Certificate revoked. KMS key deletion scheduled.' };
  });
}

function uuidParam(id: string): string {
  if (!isUuid(id)) throw new HttpError(404, 'certificate not found');
  return id;
}

/** The seed's kmsKeyArn: the KMS key's ARN, or the token key's `pkcs11:` URI-like name. */
function keyName(row: CertificateRow): string {
  const ref = JSON.parse(row.key_ref) as { keyId?: string; token?: string; key?: string };
  return row.key_kind === 'kms' ? ref.keyId! : `pkcs11:token=${ref.token};object=${ref.key}`;
}
