// Seed 001 POST /seal/sign: multipart (file, certificateId, label?, reason?, location?, qualified?); a PDF comes back
// PAdES-sealed (application/pdf), anything else as a detached CAdES .p7s (application/pkcs7-signature), with the
// X-Seal-* headers. The operation is committed before the answer; the .p7s is kept when the tenant stores CAdES seals.
// Quota: the seal's time-stamp takes one stamp (a qualified one when `qualified`) of the tenant's monthly allowance,
// reserved before the key signs anything: with none left the answer is the seed's 402 ("Monthly stamp limit of 50
// reached. …", as /tsa/stamp-hash), nothing signed, nothing stored. The stamp is given back when no time-stamp was
// made (every TSA failed, or none is enabled) and when the seal fails after the reservation. A replayed
// Idempotency-Key is answered from the stored response before this handler runs, so it takes nothing. A node killed
// after the operation's commit, before the response was stored: the retry that takes the key over answers from the
// operation (server schema v8), signing and stamping nothing again.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUuid, tenantOf } from '../auth/hook.js';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { ownedIdempotencyKey } from '../idempotency.js';
import { openSealKey } from '../sealing/certificates.js';
import { readForm, registerMultipart } from '../sealing/multipart.js';
import { sealPlan, sealUpload, type SealResult } from '../sealing/seal.js';
import { withStamp } from '../stamping/quota.js';

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
      const idempotencyKey = ownedIdempotencyKey(request);
      let done: { sealed: SealResult; operationId: string };
      try {
        const made = idempotencyKey ? await madeUnder(ctx, tenantId, idempotencyKey, file) : null;
        if (made) return answer(reply, made, key.id, qualified);
        const plan = await sealPlan(ctx, tenantId, qualified);
        const seal = async () => {
          const sealed = await sealUpload(ctx, {
            tenantId,
            file,
            signer: key.signer,
            qualified,
            plan,
            reason: form.fields.get('reason'),
            location: form.fields.get('location'),
          });
          const operationId = await recordOperation(ctx, request, {
            sealed,
            label,
            qualified,
            key,
            file,
            idempotencyKey,
          });
          return { sealed, operationId };
        };
        // no TSA enabled: no time-stamp can be made, so none is taken
        done = plan ? await withStamp(ctx, tenantId, qualified, seal, (d) => d.sealed.tsaName !== null) : await seal();
      } finally {
        await key.signer.close();
      }
      return answer(reply, done, key.id, qualified);
    });
  });
}

type Done = { readonly sealed: SealResult; readonly operationId: string };

function answer(reply: FastifyReply, { sealed, operationId }: Done, certificateId: string, qualified: boolean) {
  return reply
    .header('X-Seal-Operation-Id', operationId)
    .header('X-Seal-Certificate-Id', certificateId)
    .header('X-Seal-Timestamped-By', sealed.tsaName ?? 'none')
    .header('X-Seal-Format', sealed.format)
    .header('X-Seal-Qualified', String(qualified))
    .type(sealed.format === 'pades' ? 'application/pdf' : 'application/pkcs7-signature')
    .send(sealed.output);
}

type MadeRow = {
  id: string;
  signature_type: 'pades' | 'cades';
  document_hash: string;
  tsa_name: string | null;
  answer_tail: Uint8Array | null;
};

/** The operation an earlier request under this Idempotency-Key committed (its node died before answering), as it was. */
async function madeUnder(ctx: ServerContext, tenantId: string, key: string, upload: Buffer): Promise<Done | null> {
  const row = await one<MadeRow>(
    ctx.db,
    `SELECT id, signature_type, document_hash, tsa_name, answer_tail FROM seal_operations
     WHERE tenant_id = $1 AND idempotency_key = $2`,
    [tenantId, key],
  );
  if (!row?.answer_tail) return null;
  const tail = Buffer.from(row.answer_tail);
  const output = row.signature_type === 'pades' ? Buffer.concat([upload, tail]) : tail;
  const sealed = { format: row.signature_type, output, documentHash: row.document_hash, tsaName: row.tsa_name };
  return { operationId: row.id, sealed };
}

type Operation = {
  sealed: SealResult;
  label: string | null;
  qualified: boolean;
  key: { id: string; platform: boolean };
  file: Buffer;
  idempotencyKey: string | null;
};

/** What the answer added to the upload (a PAdES revision is appended to it), kept to answer a retry of the request. */
function answerTail(o: Operation): Buffer | null {
  if (!o.idempotencyKey) return null;
  const out = o.sealed.output;
  if (o.sealed.format === 'cades') return out;
  return out.subarray(0, o.file.length).equals(o.file) ? out.subarray(o.file.length) : null;
}

/** The seal_operations row (the .p7s kept when the tenant stores CAdES seals); its id. */
async function recordOperation(ctx: ServerContext, request: FastifyRequest, o: Operation): Promise<string> {
  const tenantId = tenantOf(request);
  const t = await one<{ store_cades: boolean }>(ctx.db, 'SELECT store_cades FROM tenants WHERE id = $1', [tenantId]);
  const keep = o.sealed.format === 'cades' && t?.store_cades === true;
  const op = await one<{ id: string }>(
    ctx.db,
    `INSERT INTO seal_operations
       (tenant_id, user_id, certificate_id, document_hash, label, signature_type, p7s, tsa_name, qualified,
        idempotency_key, answer_tail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      tenantId,
      request.auth!.userId,
      o.key.platform ? null : o.key.id,
      o.sealed.documentHash,
      o.label,
      o.sealed.format,
      keep ? o.sealed.output : null,
      o.sealed.tsaName,
      o.qualified,
      o.idempotencyKey,
      answerTail(o),
    ],
  );
  return op!.id;
}

function booleanField(v: string | undefined): boolean {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new HttpError(400, 'qualified must be true or false');
}
