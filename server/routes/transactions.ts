// Seed 001 "Timestamps": GET /api/transactions/details (the caller's tenant only: another tenantId is 404; page,
// pageSize ≤ 200, search on label or hash prefix) and PUT /api/transactions/{id}/label (≤ 255 characters).
// Our extension 'sync-since' (for the sync client): `since` (ISO time) lists the records created or relabelled from
// then on, oldest change first; `includeToken=true` adds each token (tsrBase64); items carry labelUpdatedAt and
// changedAt.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { isUuid, tenantOf } from '../auth/hook.js';
import { detailView, type TransactionRow } from '../stamping/record.js';

type DetailsQuery = {
  tenantId: string;
  page?: string;
  pageSize?: string;
  search?: string;
  since?: string;
  includeToken?: 'true' | 'false';
};
type SyncRow = TransactionRow & { label_updated_at: Date | null; changed_at: Date };

const iso = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A `since` that is not a time is refused, not read as "everything". */
function sinceOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new HttpError(400, 'since must be an ISO 8601 time');
  return new Date(t).toISOString();
}

const intIn = (value: string | undefined, fallback: number, max: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d{1,9}$/.test(value) || n < 1 || n > max)
    throw new HttpError(400, `${name} must be an integer from 1 to ${max}`);
  return n;
};

/** LIKE's wildcards in user text match themselves. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function transactionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: DetailsQuery }>(
    '/api/transactions/details',
    {
      config: { auth: 'tenant' },
      schema: {
        querystring: {
          type: 'object',
          required: ['tenantId'],
          additionalProperties: false,
          properties: {
            tenantId: { type: 'string', maxLength: 64 },
            page: { type: 'string' },
            pageSize: { type: 'string' },
            search: { type: 'string', maxLength: 255 },
            since: { type: 'string', maxLength: 40 },
            includeToken: { enum: ['true', 'false'] },
          },
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.tenantId !== tenantOf(request)) throw new HttpError(404, 'not found');
      const page = intIn(q.page, 1, 1_000_000, 'page');
      const pageSize = intIn(q.pageSize, 50, 200, 'pageSize');
      const search = q.search ? likeEscape(q.search) : null;
      const since = sinceOf(q.since);
      const where = `tenant_id = $1
        AND ($2::text IS NULL OR label ILIKE '%' || $2 || '%' OR hash_hex LIKE lower($2) || '%')
        AND ($3::timestamptz IS NULL OR created_at >= $3::timestamptz OR label_updated_at >= $3::timestamptz)`;
      const total = await one<{ n: string }>(ctx.db, `SELECT count(*) AS n FROM transactions WHERE ${where}`, [
        q.tenantId,
        search,
        since,
      ]);
      const changed = 'greatest(created_at, coalesce(label_updated_at, created_at))';
      const order = since ? `${changed}, id` : 'created_at DESC, id';
      const rows = await ctx.db.query<SyncRow>(
        `SELECT *, ${changed} AS changed_at FROM transactions WHERE ${where} ORDER BY ${order} LIMIT $4 OFFSET $5`,
        [q.tenantId, search, since, pageSize, (page - 1) * pageSize],
      );
      const items = rows.map((r) => ({
        ...detailView(r),
        labelUpdatedAt: iso(r.label_updated_at),
        changedAt: iso(r.changed_at),
        ...(q.includeToken === 'true' ? { tsrBase64: Buffer.from(r.tsr).toString('base64') } : {}),
      }));
      return { total: Number(total?.n ?? 0), page, pageSize, items };
    },
  );

  app.put<{ Params: { id: string }; Body: { label: string } }>(
    '/api/transactions/:id/label',
    {
      config: { auth: 'tenant' },
      schema: {
        body: {
          type: 'object',
          required: ['label'],
          additionalProperties: false,
          properties: { label: { type: 'string', maxLength: 255 } },
        },
      },
    },
    async (request) => {
      const id = request.params.id;
      const row = isUuid(id)
        ? await one<{ id: string; label: string; label_updated_at: Date }>(
            ctx.db,
            `UPDATE transactions SET label = $1, label_updated_at = clock_timestamp() WHERE id = $2 AND tenant_id = $3
             RETURNING id, label, label_updated_at`,
            [request.body.label, id, tenantOf(request)],
          )
        : null;
      if (!row) throw new HttpError(404, 'not found');
      return { id: row.id, label: row.label, labelUpdatedAt: iso(row.label_updated_at) };
    },
  );
}
