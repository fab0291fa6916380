// Seed 001 seal history: GET /seal/operations (the tenant's, newest first; page, pageSize ≤ 200, search on label or
// hash prefix) and GET /seal/operations/:id/p7s (the stored .p7s; 404 with the seed's message when none is stored).
// Our extension 'sync-since': `since` (ISO time) lists the operations created from then on, oldest first.
import type { FastifyInstance } from 'fastify';
import { isUuid, tenantOf } from '../auth/hook.js';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';

type OperationRow = {
  id: string;
  document_hash: string;
  label: string | null;
  status: string;
  created_at: Date;
  cert_label: string | null;
  signature_type: 'pades' | 'cades';
  has_p7s: boolean;
  tsa_name: string | null;
};

export const P7S_NOT_STORED =
  '.p7s not stored — enable Store CAdES seals in Settings, or download immediately after sealing.';

const intIn = (value: string | undefined, fallback: number, max: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d{1,9}$/.test(value) || n < 1 || n > max)
    throw new HttpError(400, `${name} must be an integer from 1 to ${max}`);
  return n;
};

export function sealOperationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const platformLabel = ctx.sealing?.platform?.label ?? null;
  const view = (r: OperationRow) => ({
    id: r.id,
    documentHash: r.document_hash,
    label: r.label ?? '',
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    certLabel: r.cert_label ?? platformLabel ?? '',
    signatureType: r.signature_type,
    hasP7s: r.has_p7s,
    tsaName: r.tsa_name,
  });

  type Query = { page?: string; pageSize?: string; search?: string; since?: string };
  app.get<{ Querystring: Query }>(
    '/seal/operations',
    {
      config: { auth: 'tenant' },
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            page: { type: 'string' },
            pageSize: { type: 'string' },
            search: { type: 'string', maxLength: 255 },
            since: { type: 'string', maxLength: 40 },
          },
        },
      },
    },
    async (request) => {
      const tenantId = tenantOf(request);
      const page = intIn(request.query.page, 1, 1_000_000, 'page');
      const pageSize = intIn(request.query.pageSize, 50, 200, 'pageSize');
      const search = request.query.search ? request.query.search.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
      const since = request.query.since === undefined ? null : Date.parse(request.query.since);
      if (Number.isNaN(since)) throw new HttpError(400, 'since must be an ISO 8601 time');
      const sinceIso = since === null ? null : new Date(since).toISOString();
      const where = `o.tenant_id = $1
        AND ($2::text IS NULL OR o.label LIKE $2 || '%' OR o.document_hash LIKE lower($2) || '%')
        AND ($5::timestamptz IS NULL OR o.created_at >= $5::timestamptz)`;
      const total = await one<{ n: string }>(
        ctx.db,
        `SELECT count(*) AS n FROM seal_operations o WHERE ${where.replaceAll('$5', '$3')}`,
        [tenantId, search, sinceIso],
      );
      const order = sinceIso ? 'o.created_at, o.id' : 'o.created_at DESC, o.id';
      const rows = await ctx.db.query<OperationRow>(
        `SELECT o.id, o.document_hash, o.label, o.status, o.created_at, c.label AS cert_label, o.signature_type,
                (o.p7s IS NOT NULL) AS has_p7s, o.tsa_name
         FROM seal_operations o LEFT JOIN seal_certificates c ON c.id = o.certificate_id
         WHERE ${where} ORDER BY ${order} LIMIT $3 OFFSET $4`,
        [tenantId, search, pageSize, (page - 1) * pageSize, sinceIso],
      );
      return { total: Number(total?.n ?? 0), page, pageSize, items: rows.map(view) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/seal/operations/:id/p7s',
    { config: { auth: 'tenant' } },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw new HttpError(404, P7S_NOT_STORED);
      const row = await one<{ p7s: Uint8Array | null }>(
        ctx.db,
        'SELECT p7s FROM seal_operations WHERE id = $1 AND tenant_id = $2',
        [request.params.id, tenantOf(request)],
      );
      if (!row?.p7s) throw new HttpError(404, P7S_NOT_STORED);
      return reply.type('application/pkcs7-signature').send(Buffer.from(row.p7s));
    },
  );
}
