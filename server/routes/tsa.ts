// Seed 001 "Timestamping": POST /tsa/stamp-hash and /tsa/restamp (tenant callers: JWT, API key, …), and the public
// POST /tsa/verify-hash and /tsa/inspect, on core/tsp. A hash the tenant already stamped gives its existing (newest)
// proof, 200 with the same shape, no TSA asked and no quota used, unless `force: true` ("Use force: true to create a
// second independent proof"): the seed's own curl example stamps one hash twice and expects a token both times.
import type { FastifyInstance } from 'fastify';
import type { RequestHash } from '../../core/asn1/oids.js';
import { inspectTimeStamp, judgeImprint } from '../../core/tsp/token-report.js';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { inTenant, isUuid, tenantOf } from '../auth/hook.js';
import { ownedIdempotencyKey } from '../idempotency.js';
import { stampForTenant } from '../stamping/stamp.js';
import { recordOf, stampView, type TransactionRow } from '../stamping/record.js';

export const HASH_HEX = '^([0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$';
const BASE64 = '^[A-Za-z0-9+/=\\s]+$';
const SLUG = { type: 'string', pattern: '^(auto|[a-z0-9][a-z0-9._-]{0,62})$' } as const;

export const hashOfHex = (hex: string): RequestHash =>
  hex.length === 64 ? 'sha256' : hex.length === 96 ? 'sha384' : 'sha512';

type StampBody = { hashHex: string; tsaSlug?: string; label?: string; force?: boolean; qualified?: boolean };

const stampSchema = {
  type: 'object',
  required: ['hashHex'],
  additionalProperties: false,
  properties: {
    hashHex: { type: 'string', pattern: HASH_HEX },
    tsaSlug: SLUG,
    label: { type: 'string', maxLength: 255 },
    force: { type: 'boolean' },
    qualified: { type: 'boolean' },
  },
} as const;

export function tsaRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Body: StampBody }>(
    '/tsa/stamp-hash',
    { config: { auth: 'tenant' }, schema: { body: stampSchema } },
    async (request) => {
      const b = request.body;
      const tenantId = tenantOf(request);
      const hashHex = b.hashHex.toLowerCase();
      if (!b.force) {
        const prior = await one<TransactionRow>(
          ctx.db,
          `SELECT * FROM transactions WHERE tenant_id = $1 AND hash_hex = $2 AND origin <> 'restamp'
           ORDER BY created_at DESC LIMIT 1`,
          [tenantId, hashHex],
        );
        if (prior) return stampView(prior);
      }
      const row = await stampForTenant(ctx, {
        tenantId,
        userId: request.auth!.userId,
        tsaSlug: b.tsaSlug ?? 'auto',
        qualified: b.qualified ?? false,
        hash: { algorithm: hashOfHex(hashHex), hex: hashHex },
        label: b.label ?? null,
        parentId: null,
        idempotencyKey: ownedIdempotencyKey(request),
      });
      return stampView(row);
    },
  );

  app.post<{ Body: { transactionId: string; tsaSlug?: string } }>(
    '/tsa/restamp',
    {
      config: { auth: 'tenant' },
      schema: {
        body: {
          type: 'object',
          required: ['transactionId'],
          additionalProperties: false,
          properties: { transactionId: { type: 'string', maxLength: 64 }, tsaSlug: SLUG },
        },
      },
    },
    async (request) => {
      const id = request.body.transactionId;
      const parent = inTenant(request, isUuid(id) ? await recordOf(ctx.db, id) : null);
      // RFC 3161 §4: the new token covers the existing token's bytes, not the original file.
      const row = await stampForTenant(ctx, {
        tenantId: parent.tenant_id,
        userId: request.auth!.userId,
        tsaSlug: request.body.tsaSlug ?? 'auto',
        qualified: false,
        hash: null,
        subject: parent.tsr,
        label: parent.label,
        parentId: parent.id,
        idempotencyKey: ownedIdempotencyKey(request),
      });
      return { id: row.id, parentTransactionId: parent.id, tsaName: row.tsa_name, genTime: row.gen_time.toISOString() };
    },
  );

  app.post<{ Body: { fileHashHex: string; tsrBase64: string } }>(
    '/tsa/verify-hash',
    {
      config: { auth: 'public' },
      schema: {
        body: {
          type: 'object',
          required: ['fileHashHex', 'tsrBase64'],
          additionalProperties: false,
          properties: {
            fileHashHex: { type: 'string', pattern: '^([0-9a-fA-F]{2}){16,64}$' },
            tsrBase64: { type: 'string', pattern: BASE64 },
          },
        },
      },
    },
    async (request) => {
      const report = await inspectTimeStamp(Buffer.from(request.body.tsrBase64, 'base64'));
      const provided = request.body.fileHashHex.toLowerCase();
      const verdict = judgeImprint(report, Buffer.from(provided, 'hex'));
      return {
        valid: verdict.valid,
        message: verdict.message,
        details: {
          serial: report.serialHex,
          genTime: report.genTime,
          hashAlgorithmOid: report.hashAlgorithmOid,
          claimedHashHex: report.imprintHex,
          providedHashHex: provided,
          hashMatch: verdict.hashMatch,
        },
      };
    },
  );

  app.post<{ Body: { tsrBase64: string } }>(
    '/tsa/inspect',
    {
      config: { auth: 'public' },
      schema: {
        body: {
          type: 'object',
          required: ['tsrBase64'],
          additionalProperties: false,
          properties: { tsrBase64: { type: 'string', pattern: BASE64 } },
        },
      },
    },
    async (request) => {
      const report = await inspectTimeStamp(Buffer.from(request.body.tsrBase64, 'base64'));
      if (!report.genTime) throw new HttpError(400, report.problems[0] ?? 'the response holds no time-stamp token');
      return {
        genTime: report.genTime,
        serial: report.serialHex,
        hashAlg: report.hashAlgorithmOid,
        tsaName: report.tsaName,
        certNotBefore: report.signer?.notBefore ?? null,
        certNotAfter: report.signer?.notAfter ?? null,
      };
    },
  );
}
