// Seed 001 "Timestamps": GET /api/transactions/details (the caller's tenant only: another tenantId is 404; page,
// pageSize ≤ 200, search on label or hash prefix) and PUT /api/transactions/{id}/label (≤ 255 characters).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { one } from '../db/sql.js';
import { HttpError } from '../errors.js';
import { isUuid, tenantOf } from '../auth/hook.js';
import { detailView, type TransactionRow } from '../stamping/record.js';

type DetailsQuery = { tenantId: string; page?: string; pageSize?: string; search?: string };

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
      const where = `tenant_id = $1
        AND ($2::text IS NULL OR label ILIKE '%' || $2 || '%' OR hash_hex LIKE lower($2) || '%')`;
      const total = await one<{ n: string }>(ctx.db, `SELECT count(*) AS n FROM transactions WHERE ${where}`, [
        q.tenantId,
        search,
      ]);
      const rows = await ctx.db.query<TransactionRow>(
        `SELECT * FROM transactions WHERE ${where} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
        [q.tenantId, search, pageSize, (page - 1) * pageSize],
      );
      return { total: Number(total?.n ?? 0), page, pageSize, items: rows.map(detailView) };
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
        ? await one<{ id: string; label: string }>(
            ctx.db,
            'UPDATE transactions SET label = $1 WHERE id = $2 AND tenant_id = $3 RETURNING id, label',
            [request.body.label, id, tenantOf(request)],
          )
        : null;
      if (!row) throw new HttpError(404, 'not found');
      return { id: row.id, label: row.label };
    },
  );
}
