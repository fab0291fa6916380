// GET /health (is this node up and its database reachable) and GET /api/capabilities (what this server offers
// beyond the Sigill API: the sync client reads it and falls back cleanly when it is absent, as on the real Sigill).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** Our extensions beyond seed 001, by name: each one's routes are documented in the README's server section. */
export const CAPABILITIES = {
  server: 'sealdesk-server',
  api: 'sigill-1',
  extensions: [
    'tenants', // POST /api/tenants, /api/tenants/members, GET /api/tenant, PUT /api/tenant/settings
    'api-keys', // /api/keys (Bearer and x-api-key)
    'client-keys', // /api/client-keys: seed 000 client JWTs, seed 004 HMAC signatures
    'idempotency', // Idempotency-Key on every POST
    'transactions-import', // POST /api/transactions/import
    'transactions-import-batch', // POST /api/transactions/import/batch {items ≤ 500}: per item {created, id} or {error}
    'seal-operations-import', // POST /seal/operations/import
    'restamp-bulk', // POST /api/restamp/bulk, GET /api/restamp/bulk/{id}
    // GET /api/transactions/details?since=&includeToken=true (items: labelUpdatedAt, changedAt, tsrBase64) and
    // GET /seal/operations?since=: what changed from a cursor on, oldest first
    'sync-since',
  ],
};

export function healthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/health', { schema: {} }, async () => {
    await ctx.db.query('SELECT 1');
    return { ok: true, database: ctx.db.kind };
  });
  app.get('/api/capabilities', { schema: {} }, async () => CAPABILITIES);
}
