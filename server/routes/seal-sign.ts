// Seed 001 POST /seal/sign: multipart (file, certificateId, label?, reason?, location?, qualified?); a PDF comes back
// PAdES-sealed (application/pdf), anything else as a detached CAdES .p7s (application/pkcs7-signature), with the
// X-Seal-* headers. The operation is committed before the answer; the .p7s is kept when the tenant stores CAdES seals.
import type { FastifyInstance } from 'fastify';
import { isUuid, tenantOf } from '../auth/hook.js';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { openSealKey } from '../sealing/certificates.js';
import { readForm, registerMultipart } from '../sealing/multipart.js';
import { sealUpload } from '../sealing/seal.js';

const FIELDS = ['certificateId', 'label', 'reason', 'location', 'qualified'];

export async function sealSignRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    await registerMultipart(scope, ctx);
    scope.post('/seal/sign', { config: { auth: 'tenant' } }, async (request, reply) => {
      const form = await readForm(request, ['file'], FIELDS);
      const file = form.files.get('file');
      if (!file) throw new HttpError(400, 'no file provided');
      const certificateId = form.fields.get('certificateId') ?? '';
      if (!isUuid(certificateId)) throw new HttpError(400, 'certificateId must be a certificate id (uuid)');
      const qualified = booleanField(form.fields.get('qualified'));
      const label = form.fields.get('label') ?? null;
      if (label !== null && label.length > 255) throw new HttpError(400, 'label must be at most 255 characters');
      const tenantId = tenantOf(request);
      const key = await openSealKey(ctx, tenantId, certificateId);
      let sealed;
      try {
        sealed = await sealUpload(ctx, {
          tenantId,
          file,
          signer: key.signer,
          qualified,
          reason: form.fields.get('reason'),
          location: form.fields.get('location'),
        });
      } finally {
        await key.signer.close();
      }
      const t = await one<{ store_cades: boolean }>(ctx.db, 'SELECT store_cades FROM tenants WHERE id = $1', [
        tenantId,
      ]);
      const keep = sealed.format === 'cades' && t?.store_cades === true;
      const op = await one<{ id: string }>(
        ctx.db,
        `INSERT INTO seal_operations
           (tenant_id, user_id, certificate_id, document_hash, label, signature_type, p7s, tsa_name, qualified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          tenantId,
          request.auth!.userId,
          key.platform ? null : key.id,
          sealed.documentHash,
          label,
          sealed.format,
          keep ? sealed.output : null,
          sealed.tsaName,
          qualified,
        ],
      );
      return reply
        .header('X-Seal-Operation-Id', op!.id)
        .header('X-Seal-Certificate-Id', key.id)
        .header('X-Seal-Timestamped-By', sealed.tsaName ?? 'none')
        .header('X-Seal-Format', sealed.format)
        .header('X-Seal-Qualified', String(qualified))
        .type(sealed.format === 'pades' ? 'application/pdf' : 'application/pkcs7-signature')
        .send(sealed.output);
    });
  });
}

function booleanField(v: string | undefined): boolean {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new HttpError(400, 'qualified must be true or false');
}
