// Seed 001 "Lookup": GET /api/lookup/{sha512}, public: has this SHA-512 been stamped? The newest 100 records are
// listed; `count` is every one (one query: a window count over the matches).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { lookupView, type TransactionRow } from '../stamping/record.js';

const MAX_LISTED = 100;

export function lookupRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { hash: string } }>(
    '/api/lookup/:hash',
    {
      config: { auth: 'public' },
      schema: {
        params: {
          type: 'object',
          required: ['hash'],
          properties: { hash: { type: 'string', pattern: '^[0-9a-fA-F]{128}$' } },
        },
      },
    },
    async (request) => {
      const hash = request.params.hash.toLowerCase();
      // One round trip: the window's count is taken over every matching row before LIMIT.
      // Only the columns the answer shows (lookupView).
      const rows = await ctx.db.query<TransactionRow & { total: string | number }>(
        `SELECT id, tsa_name, gen_time, label, cert_not_after, tsr, count(*) OVER () AS total
         FROM transactions WHERE hash_hex = $1 ORDER BY gen_time DESC, created_at DESC LIMIT $2`,
        [hash, MAX_LISTED],
      );
      const records = rows.map(lookupView);
      return { found: records.length > 0, count: Number(rows[0]?.total ?? 0), latest: records[0] ?? null, records };
    },
  );
}
