// Our extension: POST /seal/operations/import records a seal made offline (desktop/CLI) in the tenant's history.
// CAdES: {signatureType: "cades", documentHashHex (SHA-256 of the original), p7sBase64, label?}: the .p7s must verify
// against that hash (core/cms checkCmsSignature: message digest and signature value). PAdES: {signatureType: "pades",
// pdfBase64, label?}: the sealed PDF is verified (/seal/verify's path) and its SHA-256 recorded. Nothing that fails is
// stored; a repeat of the same .p7s (or PDF) returns the first record with created: false.
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { checkCmsSignature } from '../../core/cms/verify-signer.js';
import { tenantOf } from '../auth/hook.js';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { verifyUpload } from '../sealing/verify.js';

type Body = {
  signatureType: 'cades' | 'pades';
  documentHashHex?: string;
  p7sBase64?: string;
  pdfBase64?: string;
  label?: string;
};
const BASE64 = '^[A-Za-z0-9+/=\\s]+$';

export function sealImportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const body = {
    type: 'object',
    required: ['signatureType'],
    additionalProperties: false,
    properties: {
      signatureType: { enum: ['cades', 'pades'] },
      documentHashHex: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
      p7sBase64: { type: 'string', pattern: BASE64 },
      pdfBase64: { type: 'string', pattern: BASE64 },
      label: { type: 'string', maxLength: 255 },
    },
  } as const;
  app.post<{ Body: Body }>(
    '/seal/operations/import',
    { config: { auth: 'tenant' }, schema: { body } },
    async (request) => {
      const b = request.body;
      const tenantId = tenantOf(request);
      const { documentHash, p7s } = b.signatureType === 'cades' ? await checkCades(b) : await checkPades(ctx, b);
      const same = await one<{ id: string }>(
        ctx.db,
        `SELECT id FROM seal_operations WHERE tenant_id = $1 AND origin = 'import' AND signature_type = $2
         AND document_hash = $3 AND p7s IS NOT DISTINCT FROM $4`,
        [tenantId, b.signatureType, documentHash, p7s],
      );
      if (same) return { id: same.id, signatureType: b.signatureType, documentHash, created: false };
      const row = await one<{ id: string }>(
        ctx.db,
        `INSERT INTO seal_operations (tenant_id, user_id, document_hash, label, signature_type, p7s, origin)
       VALUES ($1, $2, $3, $4, $5, $6, 'import') RETURNING id`,
        [tenantId, request.auth!.userId, documentHash, b.label ?? null, b.signatureType, p7s],
      );
      return { id: row!.id, signatureType: b.signatureType, documentHash, created: true };
    },
  );
}

async function checkCades(b: Body): Promise<{ documentHash: string; p7s: Buffer }> {
  if (!b.p7sBase64 || !b.documentHashHex)
    throw new HttpError(400, 'a CAdES import needs documentHashHex and p7sBase64');
  const p7s = Buffer.from(b.p7sBase64, 'base64');
  const hash = Buffer.from(b.documentHashHex, 'hex');
  const check = await checkCmsSignature(p7s, async (alg) => {
    if (alg !== 'sha256') throw new HttpError(400, `the .p7s digests with ${alg}; documentHashHex is SHA-256`);
    return hash;
  }).catch((err: unknown) => {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, `malformed .p7s: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (!check.digestOk) throw new HttpError(400, 'file hash does not match seal');
  if (!check.signatureOk || check.formatProblems.length > 0)
    throw new HttpError(400, 'the .p7s signature does not verify');
  return { documentHash: b.documentHashHex.toLowerCase(), p7s };
}

async function checkPades(ctx: ServerContext, b: Body): Promise<{ documentHash: string; p7s: null }> {
  if (!b.pdfBase64) throw new HttpError(400, 'a PAdES import needs pdfBase64');
  const pdf = Buffer.from(b.pdfBase64, 'base64');
  const v = (await verifyUpload(ctx, { file: pdf })) as { pades: { signaturePresent: boolean; hashMatch: boolean } };
  if (!v.pades.signaturePresent || !v.pades.hashMatch) throw new HttpError(400, 'the PDF holds no intact seal');
  return { documentHash: createHash('sha256').update(pdf).digest('hex'), p7s: null };
}
